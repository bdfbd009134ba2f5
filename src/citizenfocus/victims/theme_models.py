"""Comment themes: an analyst's keyword and phrase rules, auditable (every change kept), no opaque model."""

from django.db import models
from django.utils import timezone


class CommentTheme(models.Model):
    name = models.CharField(max_length=80, unique=True)
    phrases = models.TextField(help_text="One word or phrase per line; a comment with any of them (whole words, "
                                         "any case) is about this theme")
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phrase_list(self) -> list[str]:
        return [p.strip() for p in self.phrases.splitlines() if p.strip()]


class CommentThemeChange(models.Model):
    """One change of a theme's rules: the phrases before and after, who and when. Append-only."""

    theme = models.ForeignKey(CommentTheme, on_delete=models.CASCADE, related_name="changes")
    old_phrases = models.TextField(blank=True)
    new_phrases = models.TextField()
    who_name = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.theme} changed by {self.who_name} at {self.at:%Y-%m-%d %H:%M}"
