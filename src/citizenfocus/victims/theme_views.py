"""Comment themes: the counts by theme and group with significance words, the rules, and comments in context."""

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from citizenfocus.accounts.permissions import role_required
from citizenfocus.core.formats import export_format, table_response, wants_json

from .services import victim_access_record
from .theme_models import CommentTheme, CommentThemeChange
from .themes import survey_comments, theme_matches, theme_pattern, theme_save, theme_table

COLUMNS = ("theme", "comments", "white", "white_n", "white_rate", "bme", "bme_n", "bme_rate", "gap", "gap_ci_low",
           "gap_ci_high", "verdict")
SHOWN = 100


class ThemeForm(forms.Form):
    name = forms.CharField(max_length=80, label="Theme")
    phrases = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Words and phrases, one per line")


def _in_context(match, pattern) -> str:
    text = escape(match.response.comment)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", text))  # noqa: S308 - escaped above


@role_required("analyse")
@never_cache
def themes_page(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            theme_save(user=request.user, **form.cleaned_data)
            messages.success(request, f"Theme '{form.cleaned_data['name']}' saved; the change is kept.")
            return redirect("victims:themes")
    themes = list(CommentTheme.objects.filter(archived=False))
    comments = survey_comments()
    rows = theme_table(themes, comments)
    if fmt := export_format(request):
        return table_response(fmt, "comment-themes", COLUMNS, ([r[c] for c in COLUMNS] for r in rows))
    chosen = next((t for t in themes if t.name == request.GET.get("theme")), None)
    context = []
    if chosen:
        matches = theme_matches(chosen, comments)
        pattern = theme_pattern(chosen)
        context = [(m, _in_context(m, pattern)) for m in matches[:SHOWN]]
        victim_access_record(user=request.user, kind="comments", filters={"theme": chosen.name}, rows=len(context),
                             path=request.get_full_path())
    if wants_json(request):
        return JsonResponse({"themes": rows, "comments": len(comments),
                             "in_context": [{"response": m.response.response_id, "group": m.group, "phrase": m.phrase,
                                             "comment": m.response.comment} for m, _ in context]})
    return render(request, "victims/themes.html", {
        "form": form, "rows": rows, "themes": themes, "chosen": chosen, "context": context,
        "total": len(comments), "changes": CommentThemeChange.objects.select_related("theme")[:20]},
        status=400 if request.method == "POST" else 200)
