"""A regular CSV file is read by pyarrow's reader; what it gives must be exactly what csv.reader gives (the same
rows, values and row numbers), and from the first row it does not read alike, csv.reader reads the rest."""

import random

import pytest

from citizenfocus.surveys.importing.columnar import chunks_of, record_chunks
from citizenfocus.surveys.importing.errors import FileRefused
from citizenfocus.surveys.importing.readers import CsvTable

CASES = {
    "plain": 'a,b,c\n1,2,3\n4,5,6\n',
    "crlf and quotes": 'a,b,c\r\n1,2,3\r\n"x,y","he said ""hi""",z\r\n',
    "bom": '\ufeffa,b,c\n1,2,3\n',
    "a value across lines": 'a,b,c\n1,"two\nlines",3\n4,5,6\n',
    "crlf inside quotes": 'a,b,c\r\n1,"two\r\nlines",3\r\n4,5,6\r\n',
    "an empty line": 'a,b,c\n1,2,3\n\n4,5,6\n',
    "blank rows": 'a,b,c\n1,2,3\n,,\n  , ,\n4,5,6\n',
    "a short row": 'a,b,c\n1,2,3\n4,5\n7,8,9\n',
    "a long row": 'a,b,c\n1,2,3\n4,5,6,7\n7,8,9\n',
    "quotes inside values": 'a,b,c\n1,ab"c,3\n"ab"c,5,6\n  "x",y,z\n',
    "cut inside quotes": 'a,b,c\n1,2,3\n4,"5,6\n',
    "a NUL": 'a,b,c\n1,2\x00x,3\n',
    "no final line break": 'a,b,c\n1,2,3\n4,5,6',
    "semicolons": 'a;b;c\n1;2,5;3\n',
    "CR line ends": 'a,b,c\r1,2,3\r4,5,6\r',
    "spaces": 'a,b,c\n 1 , 2 ,3 \n',
    "unicode spaces": 'a,b,c\n\u00e9,\u2028x,\u00a0\n\u00a0,,\n',
    "empty quoted values": 'a,b,c\n"","",""\n1,2,3\n',
}
REGULAR = {"plain", "crlf and quotes", "bom", "a value across lines", "crlf inside quotes", "blank rows",
           "quotes inside values", "spaces", "unicode spaces", "empty quoted values", "semicolons", "CR line ends",
           "a NUL", "an empty line"}


def _random_cases(count: int) -> dict:
    rng = random.Random(5)
    pieces = ["a", "1", " ", ",", '"', "\n", "\r\n", '""', "é", "\t", ";", "\u00a0"]
    cases = {}
    for k in range(count):
        lines = ["h1,h2,h3"] + ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
                                for _ in range(rng.randrange(1, 12))]
        cases[f"random {k}"] = "\n".join(lines) + rng.choice(["\n", "", "\r\n"])
    return cases


def _read(table, *, arrow: bool) -> list:
    """Every row as (number, values), and the refusal the reading ended in, if any."""
    out = []
    width = len(table.header)
    chunks = chunks_of(table, width, 7) if arrow else record_chunks(table.rows(), width, 7)
    try:
        for chunk in chunks:
            out += [(number, list(chunk.row(i))) for i, number in enumerate(chunk.numbers)]
    except FileRefused as exc:
        out.append(("refused", exc.row, exc.column, exc.value, exc.expected))
    return out


@pytest.mark.parametrize("name, text", [*CASES.items(), *_random_cases(300).items()])
def test_pyarrow_reads_what_csv_reader_reads(tmp_path, name, text):
    path = tmp_path / "file.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        table = CsvTable(path)
    except FileRefused:
        return  # refused before any row is read, the same way for both
    assert _read(CsvTable(path), arrow=True) == _read(table, arrow=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_regular_file_is_read_by_pyarrow_to_its_end(tmp_path, name):
    path = tmp_path / "file.csv"
    path.write_bytes(CASES[name].encode("utf-8"))
    read = CsvTable(path).arrow_batches(7)
    while True:
        try:
            next(read)
        except StopIteration as done:
            assert bool(done.value) == (name in REGULAR), name
            break


def test_a_big_file_crosses_pyarrow_blocks_with_values_across_lines(tmp_path, monkeypatch):
    from citizenfocus.surveys.importing import readers

    monkeypatch.setattr(readers, "ARROW_BLOCK_BYTES", 4096)
    rows = [f'{i},"line one\nline two {i}","say ""{i}"""\n' for i in range(3000)]
    path = tmp_path / "big.csv"
    path.write_text("id,text,quote\n" + "".join(rows), encoding="utf-8")

    fast = _read(CsvTable(path), arrow=True)
    assert fast == _read(CsvTable(path), arrow=False)
    assert fast[-1] == (3001, ["2999", "line one\nline two 2999", 'say "2999"'])
