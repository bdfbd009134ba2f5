"""Forms of the victims' pages: filters in the address, and an event recorded on a case."""

from django import forms

from .models import VictimEvent


class QueueForm(forms.Form):
    officer = forms.CharField(required=False, max_length=150, label="Officer (collar number or user name)")
    team = forms.CharField(required=False, max_length=120)
    division = forms.CharField(required=False, max_length=120)
    as_at = forms.DateField(required=False, label="As at (day)", widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="Leave blank for today")


RECORDED_KINDS = [(k, label) for k, label in VictimEvent.Kind.choices if k not in ("letter_sent", "letter_not_sent")]


class EventForm(forms.Form):
    kind = forms.ChoiceField(choices=RECORDED_KINDS, label="What happened")
    on = forms.DateField(label="On (day)", widget=forms.DateInput(attrs={"type": "date"}))
    key_event = forms.ChoiceField(choices=[("", "(not a key event)"), *VictimEvent.KeyEventKind.choices],
                                  required=False, label="Key event")
    told_on = forms.DateField(required=False, label="Victim told on (key events)",
                              widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.CharField(required=False, max_length=40, label="How (phone, visit, letter ...)")
    detail = forms.CharField(required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == VictimEvent.Kind.KEY_EVENT and not data.get("key_event"):
            self.add_error("key_event", "Choose which key event it was.")
        if data.get("kind") != VictimEvent.Kind.KEY_EVENT and data.get("key_event"):
            self.add_error("key_event", "Only a key event has a key event kind: choose 'Key event' above.")
        if data.get("told_on") and data.get("on") and data["told_on"] < data["on"]:
            self.add_error("told_on", "The victim cannot be told before the event happened.")
        return data
