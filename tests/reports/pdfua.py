"""A checker for the machine-checkable PDF/UA-1 (ISO 14289-1) requirements a board pack can break, after the
Matterhorn Protocol's failure conditions: not veraPDF (which the force runs before publishing, see
docs/board-pack.md), but the checks that matter for this document, on every build.

`problems(content)` lists each failure in words (empty: passes). Checked:
 - tagged: MarkInfo /Marked true and a StructTreeRoot (Matterhorn 01-002, 01-004)
 - every structure type standard, or role-mapped to one (02-001, 02-003)
 - no untagged content: every text, path, image and shading painted on a page is inside marked content that
   is an /Artifact or carries an MCID, and every MCID is in the page's parent tree (01-001, 01-005, 01-006)
 - document language: /Lang on the catalogue (11-006)
 - title: dc:title in the XMP metadata and ViewerPreferences /DisplayDocTitle true (06-003, 07-001, 07-002)
 - PDF/UA identification: pdfuaid:part 1 in the XMP metadata (06-002)
 - every Figure has alternative text, /Alt or /ActualText (13-004)
 - tables: every TH has a /Scope (Row, Column or Both) in its table attributes (15-003), and a Table holds
   rows (TR, directly or in THead/TBody/TFoot) and TR hold TH or TD only (09-004, 09-005)
 - headings: numbered H1 to H6, the first an H1, none more than one level below the one before (14-002, 14-003)
 - fonts: every font used by a page or its forms is embedded (31-009 and family), Type 3 excepted
 - annotations: each page with annotations has /Tabs /S (28-010)
"""

from __future__ import annotations

import io
import re

import pikepdf

STANDARD = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI "
    "Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP "
    "Warichu WT WP Figure Formula Form".split())
PAINT = frozenset({"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "INLINE IMAGE"})
SCOPES = frozenset({"/Row", "/Column", "/Both"})


def _elements(root) -> list:
    """The structure elements in document order (depth first)."""
    found, stack = [], [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and node.get("/S") is not None:
            found.append(node)
            if node.get("/K") is not None:
                stack.append(node.K)
    return found


def _kind(element, role_map) -> str:
    name = str(element.S)[1:]
    seen = set()
    while name not in STANDARD and role_map is not None and f"/{name}" in role_map and name not in seen:
        seen.add(name)
        name = str(role_map[f"/{name}"])[1:]
    return name


def _children(element) -> list:
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") is not None]


def _attribute(element, key: str):
    attributes = element.get("/A")
    for block in (list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]):
        if isinstance(block, pikepdf.Dictionary) and key in block:
            return block[key]
    return None


def _structure(pdf, problems: list[str]) -> None:
    root = pdf.Root.StructTreeRoot
    role_map = root.get("/RoleMap")
    elements = _elements(root)
    last_heading = 0
    for element in elements:
        kind = _kind(element, role_map)
        if kind not in STANDARD:
            problems.append(f"structure type /{kind} is not standard and not role-mapped to one")
        elif kind == "Figure" and not (str(element.get("/Alt", "")).strip() or
                                       str(element.get("/ActualText", "")).strip()):
            problems.append("a Figure has no alternative text (/Alt)")
        elif kind == "TH" and str(_attribute(element, "/Scope")) not in SCOPES:
            problems.append(f"a table header (TH, ID {element.get('/ID', '?')}) has no /Scope")
        elif kind == "Table":
            rows = [c for c in _children(element) if _kind(c, role_map) not in ("Caption",)]
            for child in rows:
                inner = _kind(child, role_map)
                cells = [child] if inner == "TR" else _children(child) if inner in ("THead", "TBody", "TFoot") \
                    else None
                if cells is None:
                    problems.append(f"a Table holds /{inner}, not rows")
                    continue
                for row in cells:
                    if _kind(row, role_map) != "TR" or any(_kind(c, role_map) not in ("TH", "TD")
                                                           for c in _children(row)):
                        problems.append("a table row holds something other than TH and TD cells")
        elif re.fullmatch(r"H[1-6]", kind):
            level = int(kind[1])
            if last_heading == 0 and level != 1:
                problems.append(f"the first heading is H{level}, not H1")
            elif level > last_heading + 1 and last_heading:
                problems.append(f"heading H{level} follows H{last_heading}: a level is skipped")
            last_heading = level
        elif kind == "H" and last_heading:
            problems.append("numbered (H1-H6) and unnumbered (H) headings are mixed")


def _parent_tree(pdf) -> dict[int, object]:
    """StructParents key → its value (an array of elements by MCID), flattening the number tree."""
    found, stack = {}, [pdf.Root.StructTreeRoot.get("/ParentTree")]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                found[int(nums[i])] = nums[i + 1]
        stack.extend(node.get("/Kids", []))
    return found


def _marked(operands, resources) -> tuple[str, int | None]:
    tag = str(operands[0])
    properties = operands[1] if len(operands) > 1 else None
    if isinstance(properties, pikepdf.Name):
        properties = (resources.get("/Properties") or {}).get(properties)
    mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
    return tag, (int(mcid) if mcid is not None else None)


def _content(pdf, problems: list[str]) -> None:
    parents = _parent_tree(pdf)
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources") or pikepdf.Dictionary()
        stack, untagged, mcids = [], 0, set()
        for instruction in pikepdf.parse_content_stream(page):
            operator = str(instruction.operator)
            if operator in ("BMC", "BDC"):
                tag, mcid = _marked(instruction.operands, resources)
                stack.append((tag, mcid))
                if mcid is not None:
                    mcids.add(mcid)
            elif operator == "EMC":
                if not stack:
                    problems.append(f"page {number}: EMC without a marked-content sequence to end")
                else:
                    stack.pop()
            elif operator in PAINT and not any(tag == "/Artifact" or mcid is not None for tag, mcid in stack):
                untagged += 1
        if stack:
            problems.append(f"page {number}: {len(stack)} marked-content sequence(s) left open")
        if untagged:
            problems.append(f"page {number}: {untagged} drawing operation(s) neither tagged nor marked as artifact")
        if mcids:
            key = page.obj.get("/StructParents")
            entries = parents.get(int(key)) if key is not None else None
            if entries is None:
                problems.append(f"page {number}: tagged content but no parent tree entry (/StructParents)")
            else:
                missing = sorted(m for m in mcids if m >= len(entries) or entries[m] is None)
                if missing:
                    problems.append(f"page {number}: marked content {missing[:5]} not in the structure tree")
        if len(page.obj.get("/Annots", [])) and str(page.obj.get("/Tabs", "")) != "/S":
            problems.append(f"page {number}: annotations but no /Tabs /S (structure order)")


def _fonts(pdf, problems: list[str]) -> None:
    seen, stack = set(), []
    for page in pdf.pages:
        stack.append(page.obj.get("/Resources"))
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary) or resources.objgen in seen and resources.objgen != (0, 0):
            continue
        seen.add(resources.objgen)
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))
        for name, font in (resources.get("/Font") or {}).items():
            subtype = str(font.get("/Subtype"))
            if subtype == "/Type3":
                stack.append(font.get("/Resources"))
                continue
            described = font.DescendantFonts[0] if subtype == "/Type0" else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"font {font.get('/BaseFont', name)} is not embedded")


def problems(content: bytes) -> list[str]:
    """Each PDF/UA-1 failure found, in words; an empty list when the file passes these checks."""
    found: list[str] = []
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    if not (isinstance(mark_info, pikepdf.Dictionary) and mark_info.get("/Marked") is True):
        found.append("not marked as tagged (MarkInfo /Marked true)")
    if root.get("/StructTreeRoot") is None:
        found.append("no structure tree (StructTreeRoot)")
    if not str(root.get("/Lang", "")).strip():
        found.append("no document language (/Lang)")
    viewer = root.get("/ViewerPreferences")
    if not (isinstance(viewer, pikepdf.Dictionary) and viewer.get("/DisplayDocTitle") is True):
        found.append("the title is not displayed (ViewerPreferences /DisplayDocTitle true)")
    with pdf.open_metadata() as meta:
        if not str(meta.get("dc:title") or "").strip():
            found.append("no title in the XMP metadata (dc:title)")
        if str(meta.get("pdfuaid:part") or "") != "1":
            found.append("not identified as PDF/UA-1 in the XMP metadata (pdfuaid:part 1)")
    if root.get("/StructTreeRoot") is not None:
        _structure(pdf, found)
        _content(pdf, found)
    _fonts(pdf, found)
    return found
