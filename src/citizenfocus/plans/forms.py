"""Forms for the plan pages. Validation that needs the database lives in the services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from citizenfocus.accounts.models import CAPABILITIES

from .evidence import allowed_description
from .models import Action, IndicatorLink, Plan, Risk


class AccessibleForm(forms.Form):
    """Every field described by its hint, and by its error once there is one (WCAG 3.3.1)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.prefix_name()}_%s")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = self._id(name, "hint")

    @classmethod
    def prefix_name(cls) -> str:
        return cls.__name__.lower().removesuffix("form")

    def _id(self, name: str, what: str) -> str:
        return f"{self[name].auto_id}-{what}"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                ids = [self._id(name, "error")] + ([self._id(name, "hint")] if self.fields[name].help_text else [])
                widget.attrs["aria-describedby"] = " ".join(ids)
                widget.attrs["aria-invalid"] = "true"

    def add_service_error(self, error) -> None:
        """A ValidationError from a service, shown at its field when the form has one."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def version_field():
    """The version of the item the form was opened on: a change saved meanwhile makes the form stale."""
    return forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class VersionForm(forms.Form):
    """What an archive button sends besides its choice: the version of the page it was pressed on."""

    version = version_field()

    @classmethod
    def posted(cls, request) -> int | None:
        form = cls(request.POST)
        return form.cleaned_data["version"] if form.is_valid() else None


def people():
    """Accounts that can be named as action managers or risk owners."""
    roles = CAPABILITIES["update_actions"]
    return get_user_model().objects.filter(is_active=True).filter(
        profile__role__in=roles).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class PlanForm(AccessibleForm):
    """A new plan's details, or (editing) a plan's, with the version it was opened on."""

    title = forms.CharField(max_length=200)
    source = forms.ChoiceField(choices=Plan.Source.choices, help_text="What the plan answers")
    kind = forms.ChoiceField(choices=Plan.Kind.choices, label="Structure",
                             help_text="Objective plans (an equality scheme's R1 to R7) use their own labels")
    owning_body = forms.CharField(max_length=200, required=False, label="Owning body",
                                  help_text="Who the plan answers to, such as the Police and Crime Panel")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    start_date = forms.DateField(required=False, widget=DATE, label="Start date")
    end_date = forms.DateField(required=False, widget=DATE, label="End date")
    status = forms.ChoiceField(choices=Plan.Status.choices, initial=Plan.Status.ACTIVE)
    reporting_date = forms.DateField(
        required=False, widget=DATE, label="RAG as at",
        help_text="The date the plan's RAG is worked out at: the board meeting it goes to, or the date of its "
                  "latest positions. Empty for today",
    )
    due_soon_days = forms.IntegerField(
        required=False, min_value=0, max_value=365, label="Amber warning (days)",
        help_text="A not-started action turns amber this many days before its target; empty for the site default",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"] = version_field()


class EditingMixin:
    """On an edit form the ref is required (it is how the item is known) and the version travels with it."""

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"] = version_field()
            self.fields["ref"].required = True
            self.fields["ref"].help_text = "Change it to move the item: refs are kept in order"
            self.fields["ref"].widget.attrs["aria-describedby"] = self._id("ref", "hint")


# The statuses a person can choose: "Not known" is only ever what an import could not read.
STATUS_CHOICES = [(value, label) for value, label in Action.Status.choices if value != Action.Status.UNKNOWN]


class RecommendationForm(EditingMixin, AccessibleForm):
    ref = forms.CharField(max_length=30, required=False, help_text="Empty for the next number")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, editing=editing, **kwargs)
        if editing:  # its own cells, for an item the plan answers without an action
            self.fields["status"] = forms.ChoiceField(
                choices=[("", "(none: its actions have statuses)")] + STATUS_CHOICES + (
                    [(Action.Status.UNKNOWN, "Not known")] if self.initial.get("status") == "unknown" else []),
                required=False, label="Its own status", help_text="Only for an item with no actions")
            self.fields["completion_date"] = forms.DateField(required=False, widget=DATE, label="Completed on")
            self.fields["owner"] = forms.CharField(max_length=200, required=False,
                                                   label="Department and manager (its own)")
            self.fields["position"] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                                      label="Its own position")
            for name in ("status",):
                self.fields[name].widget.attrs["aria-describedby"] = self._id(name, "hint")


class ResponseForm(RecommendationForm):
    pass


class ActionForm(EditingMixin, AccessibleForm):
    ref = forms.CharField(max_length=30, required=False, help_text="Empty for the next letter, such as 1.1.C")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    department = forms.CharField(max_length=200, required=False)
    manager = PersonChoiceField(queryset=None, required=False, label="Action manager (an account)",
                                help_text="The person who updates the action")
    manager_name = forms.CharField(max_length=200, required=False, label="Action manager (no account)",
                                   help_text="A name or role, for someone without an account")
    start_date = forms.DateField(required=False, widget=DATE, label="Start date",
                                 help_text="When work began: linked indicators compare before and after it")
    target_date = forms.DateField(required=False, widget=DATE, label="Target date")
    target_reason = forms.CharField(required=False, label="Why the target date is changing",
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="Needed when an existing target moves; the original is kept")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = people()


class ActionCreateForm(ActionForm):
    status = forms.ChoiceField(choices=STATUS_CHOICES, initial=Action.Status.NOT_STARTED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["target_reason"]
        self.fields["start_date"].help_text = "Empty: set when work starts"
        self.fields["start_date"].widget.attrs["aria-describedby"] = self._id("start_date", "hint")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ActionUpdateForm(AccessibleForm):
    status = forms.ChoiceField(choices=STATUS_CHOICES)
    version = version_field()
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Current position",
                           help_text="What has been done since the last update, and what happens next")
    position_date = forms.DateField(required=False, widget=DATE, label="Position at",
                                    help_text="Empty for today")
    completion_date = forms.DateField(required=False, widget=DATE, label="Completion date",
                                      help_text="Only when completed; empty for today")
    links = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Links to evidence",
                            help_text="Web addresses, one a line")
    evidence = MultipleFileField(required=False, label="Evidence files", help_text=allowed_description())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("status") == Action.Status.UNKNOWN:  # never let "Not Started" be chosen by default
            self.fields["status"].choices = [("", "Choose: the imported file did not say")] + STATUS_CHOICES

    def clean_links(self):
        validator = forms.URLField(assume_scheme="https")
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for line in lines:
            try:
                validator.clean(line)
            except forms.ValidationError as exc:
                raise forms.ValidationError(f"{line!r} is not a web address (start it with https://).") from exc
        return "\n".join(lines)

    def clean_evidence(self):
        from .evidence import check_evidence

        files = self.cleaned_data.get("evidence") or []
        errors = []
        for upload in files:
            try:
                check_evidence(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files


class MeetingForm(AccessibleForm):
    title = forms.CharField(max_length=200, label="Meeting",
                            help_text="Such as 'Strategic policing and crime board'")
    held_on = forms.DateField(widget=DATE, label="Held on")


def _measure_choices():
    from citizenfocus.surveys.definition import shipped_definitions

    return [(f"{key}.{m.key}", f"{d.short_name}: {m.label}") for key, d in shipped_definitions().items()
            for m in d.measures]


def _area_choices():
    from citizenfocus.areas.models import Division, Neighbourhood

    choices = [("force", "Whole force")]
    choices += [(f"division:{d.pk}", f"{d.name} division") for d in Division.objects.filter(archived=False)]
    choices += [(f"neighbourhood:{n.pk}", f"{n.name} ({n.division.name})")
                for n in Neighbourhood.objects.filter(archived=False).select_related("division")]
    return choices


class IndicatorForm(AccessibleForm):
    measure = forms.ChoiceField(label="Measure", help_text="The survey measure the action should move")
    group = forms.ChoiceField(choices=IndicatorLink.Group.choices, label="Victims")
    area = forms.ChoiceField(label="Area")
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = _measure_choices()
        self.fields["area"].choices = _area_choices()

    def link_values(self) -> dict:
        from citizenfocus.areas.models import Division, Neighbourhood

        survey_key, measure_key = self.cleaned_data["measure"].split(".", 1)
        area = self.cleaned_data["area"]
        kind, _, pk = area.partition(":")
        return {"survey_key": survey_key, "measure_key": measure_key, "group": self.cleaned_data["group"],
                "division": Division.objects.get(pk=pk) if kind == "division" else None,
                "neighbourhood": Neighbourhood.objects.get(pk=pk) if kind == "neighbourhood" else None}


class RiskRegisterForm(AccessibleForm):
    title = forms.CharField(max_length=200)
    owning_body = forms.CharField(max_length=200, required=False, label="Owning body")
    plan = forms.ModelChoiceField(queryset=Plan.objects.filter(archived=False), required=False,
                                  label="Action plan", help_text="The plan whose actions mitigate these risks")
    scale = forms.TypedChoiceField(choices=[(5, "1 to 5"), (4, "1 to 4")], coerce=int, initial=5,
                                   label="Likelihood and impact scored")
    high_from = forms.IntegerField(min_value=2, max_value=25, required=False, label="High from score",
                                   help_text="Empty for the default: 15 on a 1 to 5 scale, 9 on 1 to 4")
    medium_from = forms.IntegerField(min_value=1, max_value=24, required=False, label="Medium from score",
                                     help_text="Empty for the default: 5 on a 1 to 5 scale, 4 on 1 to 4")
    high_review_months = forms.IntegerField(min_value=1, max_value=24, initial=1, label="Review high risks every "
                                            "(months)")
    medium_review_months = forms.IntegerField(min_value=1, max_value=24, initial=3,
                                              label="Review medium risks every (months)")
    low_review_months = forms.IntegerField(min_value=1, max_value=24, initial=3,
                                           label="Review low risks every (months)")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["version"] = version_field()


class RiskForm(AccessibleForm):
    ref = forms.CharField(max_length=30, required=False, help_text="Empty for the next number")
    title = forms.CharField(max_length=300, label="Risk")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = PersonChoiceField(queryset=None, required=False, label="Owner (an account)")
    owner_name = forms.CharField(max_length=200, required=False, label="Owner (no account)")
    likelihood = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)])
    impact = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)])

    def __init__(self, *args, scale: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()
        for name in ("likelihood", "impact"):
            self.fields[name].choices = [(i, str(i)) for i in range(1, scale + 1)]
            self.fields[name].help_text = f"1 (lowest) to {scale} (highest)"
            self.fields[name].widget.attrs["aria-describedby"] = self._id(name, "hint")


class RiskEditForm(RiskForm):
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["likelihood"], self.fields["impact"]
        self.fields["ref"].required = True
        self.fields["ref"].help_text = "Refs are kept in order"


class RiskReviewForm(AccessibleForm):
    likelihood = forms.TypedChoiceField(coerce=int, choices=[])
    impact = forms.TypedChoiceField(coerce=int, choices=[])
    status = forms.ChoiceField(choices=Risk.Status.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           help_text="What changed, and why the scores are what they are")
    reviewed_on = forms.DateField(widget=DATE, required=False, label="Reviewed on", help_text="Empty for today")
    version = version_field()

    def __init__(self, *args, scale: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("likelihood", "impact"):
            self.fields[name].choices = [(i, str(i)) for i in range(1, scale + 1)]


class MitigationForm(AccessibleForm):
    action = forms.ModelChoiceField(queryset=None, label="Action that mitigates the risk")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.live().in_plan_order()
        self.fields["action"].label_from_instance = lambda a: f"{a.plan}: {a.ref} {a.description[:70]}"
