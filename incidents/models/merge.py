from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import ChunkState, MergeOutput, MergeState


class Merge(models.Model):
    """Letters to the affected people from a recipients' CSV: the approved data-subject notice of
    each recipient's language made into their own letter. Written in chunks that several workers
    share; its result is one zip of letters, or one combined document, with its SHA-256."""

    notice = models.ForeignKey("incidents.Notice", on_delete=models.PROTECT, related_name="merges")
    output = models.CharField(_("output"), max_length=10, choices=MergeOutput.choices)
    state = models.CharField(_("state"), max_length=10, choices=MergeState.choices, default=MergeState.QUEUED)
    csv_file = models.FileField(_("recipients' file"), upload_to="merges/")
    csv_name = models.CharField(_("file name"), max_length=255)
    csv_sha256 = models.CharField(_("SHA-256 of the recipients' file"), max_length=64)
    rows = models.PositiveIntegerField(_("recipient rows in the file"))
    # The problems of the rows the user chose to skip: those rows get no letter.
    problems = models.JSONField(_("rows skipped"), default=list)
    total = models.PositiveIntegerField(_("letters"))
    letters_done = models.PositiveIntegerField(_("letters written"), default=0)
    # language → {"notice": id, "sha256": the approved file each letter in that language is made from}
    templates = models.JSONField(_("templates"), default=dict)
    result = models.FileField(_("result"), upload_to="merges/", blank=True)
    result_sha256 = models.CharField(_("SHA-256 of the result"), max_length=64, blank=True)
    result_size = models.PositiveBigIntegerField(_("bytes"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notice", "created_at", "pk"]
        verbose_name = _("mail merge")
        verbose_name_plural = _("mail merges")

    def __str__(self) -> str:
        return f"merge {self.pk} of notice {self.notice_id}"


class MergeChunk(models.Model):
    """A run of a merge's recipients that one worker writes at a time. A worker claims it with a
    lease; a chunk whose lease ran out (its worker died) is given to another, and only the first
    attempt to finish counts, so no letter is lost or doubled."""

    merge = models.ForeignKey(Merge, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    recipients = models.JSONField(default=list)
    letters = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ChunkState.choices, default=ChunkState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=200, blank=True)
    queued_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    file = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["merge", "number"]
        constraints = [models.UniqueConstraint(fields=["merge", "number"], name="one_chunk_per_number")]

    def __str__(self) -> str:
        return f"merge {self.merge_id} chunk {self.number}"
