"""Photo bytes checked against the records that name them, and repaired where possible.

Every rendition of every stored version (current or not) and every staged upload names a
blob by the SHA-256 of its bytes; each such blob must exist and hash to its key. A blob
nothing names is an orphan, but only once it is older than the grace period: a write
stores its blobs first and commits the photo naming them after, so a young unreferenced
blob may belong to an upload still in flight (deleting it would lose that photo). A process
killed between the two leaves such blobs behind, and a prune leaves those written moments
ago (ports.BLOB_GRACE); `--repair` collects them once they are older.

Repair re-renders a missing or damaged variant from the smallest intact rendition of the
same version that is at least as large (a variant is the crop square itself, so this keeps
the crop), else from the stored original (its centred square: the crop box is not kept).
A version whose original is lost cannot be repaired. Orphans are deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from userphoto.core.errors import NotFound
from userphoto.core.model import Photo, Rendition
from userphoto.core.photos import PipelineLimits, RenderedPhoto, render_photo
from userphoto.core.ports import BLOB_GRACE, Store

Progress = Callable[[str, int, int], None]
"""Called with (what, done, total) as the check advances."""


class Fault(StrEnum):
    MISSING = "missing"
    DAMAGED = "damaged"


@dataclass(frozen=True, slots=True)
class RenditionFault:
    photo: Photo
    rendition: Rendition
    fault: Fault

    def describe(self) -> str:
        size = "original" if self.rendition.size is None else f"{self.rendition.size}px"
        owner = f"{self.photo.owner.kind.value} {self.photo.owner.id}"
        return f"{owner}, version {self.photo.id}, {size}: blob {self.fault.value}"


@dataclass
class IntegrityReport:
    blobs_stored: int = 0
    blobs_checked: int = 0
    renditions_checked: int = 0
    faults: list[RenditionFault] = field(default_factory=list)
    staged_faults: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    recent_unreferenced: int = 0
    repaired: list[RenditionFault] = field(default_factory=list)
    unrepairable: list[RenditionFault] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def problems_left(self) -> int:
        """What is still wrong: faults not repaired, orphans not removed, bad staged uploads."""
        unrepaired = len(self.faults) - len(self.repaired)
        return unrepaired + len(self.orphans) - len(self.removed) + len(self.staged_faults)


class IntegrityChecker:
    def __init__(self, store: Store, limits: PipelineLimits) -> None:
        self._store = store
        self._limits = limits

    def check(
        self,
        *,
        repair: bool = False,
        grace: timedelta = BLOB_GRACE,
        progress: Progress | None = None,
    ) -> IntegrityReport:
        tell = progress or (lambda *_: None)
        report = IntegrityReport()
        # Blobs written after this may belong to a write in flight: never orphans.
        cutoff = datetime.now(UTC) - grace
        versions = self._store.history.every_version()
        staged = self._store.staged.blob_keys()
        verdicts = self._verify(versions, staged, tell, report)
        report.faults = [
            RenditionFault(photo, r, fault)
            for photo in versions
            for r in photo.renditions
            if (fault := verdicts[r.blob_key]) is not None
        ]
        report.staged_faults = sorted(k for k in staged if verdicts[k] is not None)
        self._find_orphans(set(verdicts), cutoff, report)
        if repair:
            self._repair(report, cutoff, tell)
        return report

    def _verify(
        self, versions: list[Photo], staged: set[str], tell: Progress, report: IntegrityReport
    ) -> dict[str, Fault | None]:
        keys = sorted({r.blob_key for p in versions for r in p.renditions} | staged)
        report.renditions_checked = sum(len(p.renditions) for p in versions)
        verdicts = {}
        for done, key in enumerate(keys, 1):
            verdicts[key] = self._verdict(key)
            tell("checking photo bytes", done, len(keys))
        report.blobs_checked = len(keys)
        return verdicts

    def _verdict(self, key: str) -> Fault | None:
        try:
            data = self._store.blobs.get(key)
        except NotFound:
            return Fault.MISSING
        return None if hashlib.sha256(data).hexdigest() == key else Fault.DAMAGED

    def _find_orphans(
        self, referenced: set[str], written_before: datetime, report: IntegrityReport
    ) -> None:
        for blob in self._store.blobs.stored():
            report.blobs_stored += 1
            if blob.key in referenced:
                continue
            if blob.written_at < written_before:
                report.orphans.append(blob.key)
            else:
                report.recent_unreferenced += 1
        report.orphans.sort()

    def _repair(self, report: IntegrityReport, cutoff: datetime, tell: Progress) -> None:
        by_photo: dict[int, list[RenditionFault]] = {}
        for fault in report.faults:
            by_photo.setdefault(fault.photo.id, []).append(fault)
        for done, faults in enumerate(by_photo.values(), 1):
            if any(f.rendition.size is None for f in faults):
                report.unrepairable.extend(faults)
            else:
                report.repaired.extend(self._rerender(faults))
            tell("repairing photos", done, len(by_photo))
        for done, key in enumerate(report.orphans, 1):
            # Unless a write stored the same bytes again since they were listed.
            self._store.blobs.delete(key, cutoff)
            report.removed.append(key)
            tell("removing orphans", done, len(report.orphans))

    def _rerender(self, faults: list[RenditionFault]) -> list[RenditionFault]:
        photo = faults[0].photo
        bad = {f.rendition.size for f in faults}
        intact = sorted(
            (r for r in photo.renditions if r.size is not None and r.size not in bad),
            key=lambda r: r.width,
        )
        rendered: dict[str, RenderedPhoto] = {}
        for fault in faults:
            wanted = fault.rendition
            source = next((r for r in intact if r.width >= wanted.width), photo.original)
            if source.blob_key not in rendered:
                data = self._store.blobs.get(source.blob_key)
                rendered[source.blob_key] = render_photo(data, self._limits)
            image = next(i for i in rendered[source.blob_key].renditions if i.size == wanted.size)
            if fault.fault is Fault.DAMAGED:
                # Useless bytes; gone first, so the new ones cannot be mistaken for them.
                self._store.blobs.delete(wanted.blob_key)
            key = self._store.blobs.put(image.data)
            rendition = Rendition(
                wanted.size, image.width, image.height, image.media_type, key, len(image.data)
            )
            self._store.history.replace_rendition(photo.id, rendition)
        return faults
