"""VM sizes Microsoft has retired or announced for retirement, with dates and successors.

A retired size gets no nodes: Azure deallocates its VMs and an Azure ML cluster of that size
cannot scale up, so a retired size is a config error (naming a current successor). A size retiring
within :data:`WARN_WITHIN_DAYS` is a plan warning; one announced for later is a plan note, because
announced series are already capacity-limited and restricted in new subscriptions.

Sources (MicrosoftDocs/azure-compute-docs unless noted; each entry names its own):

- ``articles/virtual-machines/sizes/retirement/retired-sizes-list.md`` (retired series and dates)
- ``articles/virtual-machines/ncv3-retirement.md`` (NCv3, 2025-09-30, successors)
- ``articles/virtual-machines/migration/sizes/d-ds-dv2-dsv2-ls-series-migration-guide.md``
- ``articles/virtual-machines/migration/sizes/legacy-series-capacity-limitations.md``
- ``articles/virtual-machines/sizes/gpu-accelerated/nvv3-series-retirement.md``
- ``articles/virtual-machines/migration/sizes/n-series-migration.md``
- MicrosoftDocs/azure-docs ``articles/virtual-machines/h-series-retirement.md``
- MicrosoftDocs/azure-ai-docs ``articles/machine-learning/includes/retiring-vms.md``

Which sizes a region offers Azure ML is for Azure to say (``az ml compute list-sizes``); this table
only knows what Microsoft has announced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

WARN_WITHIN_DAYS = 365
"""A size retiring within this many days is a plan warning."""

_RETIRED_LIST = "azure-compute-docs sizes/retirement/retired-sizes-list.md"
_DSV2_GUIDE = "azure-compute-docs migration/sizes/d-ds-dv2-dsv2-ls-series-migration-guide.md"
_NCV3 = "azure-compute-docs ncv3-retirement.md"
_LEGACY = "azure-compute-docs migration/sizes/legacy-series-capacity-limitations.md"


@dataclass(frozen=True)
class Retirement:
    """One VM series Microsoft retires on a date."""

    series: str
    pattern: re.Pattern[str]
    """Matches the series' size names (case-insensitive, as Azure compares them)."""
    retires: date
    successor: str
    """The size (or series) to move to when no size-specific successor is listed."""
    source: str
    successors: dict[str, str] = field(default_factory=dict)
    """Size-specific successors from the series' migration guide, by lower-case size name."""

    def successor_of(self, size: str) -> str:
        return self.successors.get(size.lower(), self.successor)


def _series(
    series: str,
    pattern: str,
    retires: date,
    successor: str,
    source: str,
    successors: dict[str, str] | None = None,
) -> Retirement:
    return Retirement(
        series,
        re.compile(pattern, re.IGNORECASE),
        retires,
        successor,
        source,
        {k.lower(): v for k, v in (successors or {}).items()},
    )


# Size-specific successors for the general-purpose sizes teams use most (the guide lists Dsv5 and
# Esv5 among the targets; the vCPU and memory match is ours).
_DSV2_SUCCESSORS = {
    "Standard_DS1_v2": "Standard_D2s_v5",
    "Standard_DS2_v2": "Standard_D2s_v5",
    "Standard_DS3_v2": "Standard_D4s_v5",
    "Standard_DS4_v2": "Standard_D8s_v5",
    "Standard_DS5_v2": "Standard_D16s_v5",
    "Standard_D1_v2": "Standard_D2s_v5",
    "Standard_D2_v2": "Standard_D2s_v5",
    "Standard_D3_v2": "Standard_D4s_v5",
    "Standard_D4_v2": "Standard_D8s_v5",
    "Standard_D5_v2": "Standard_D16s_v5",
    "Standard_DS11_v2": "Standard_E2s_v5",
    "Standard_DS12_v2": "Standard_E4s_v5",
    "Standard_DS13_v2": "Standard_E8s_v5",
    "Standard_DS14_v2": "Standard_E16s_v5",
    "Standard_DS15_v2": "Standard_E20s_v5",
    "Standard_D11_v2": "Standard_E2s_v5",
    "Standard_D12_v2": "Standard_E4s_v5",
    "Standard_D13_v2": "Standard_E8s_v5",
    "Standard_D14_v2": "Standard_E16s_v5",
    "Standard_D15_v2": "Standard_E20s_v5",
}

RETIREMENTS: tuple[Retirement, ...] = (
    _series(
        "NC-series, K80",
        r"Standard_NC\d+r?(_Promo)?",
        date(2023, 9, 6),
        "Standard_NC4as_T4_v3",
        _RETIRED_LIST,
        {"Standard_NC12": "Standard_NC16as_T4_v3", "Standard_NC24": "Standard_NC64as_T4_v3"},
    ),
    _series(
        "NCv2-series, P100",
        r"Standard_NC\d+r?s_v2",
        date(2023, 9, 6),
        "Standard_NC24ads_A100_v4",
        _RETIRED_LIST,
        {"Standard_NC12s_v2": "Standard_NC48ads_A100_v4", "Standard_NC24s_v2": "Standard_NC96ads_A100_v4"},
    ),
    _series(
        "NCv3-series, V100",
        r"Standard_NC\d+r?s_v3",
        date(2025, 9, 30),
        "Standard_NC24ads_A100_v4",
        _NCV3,
        {
            "Standard_NC12s_v3": "Standard_NC48ads_A100_v4",
            "Standard_NC24s_v3": "Standard_NC96ads_A100_v4",
            "Standard_NC24rs_v3": "Standard_NC96ads_A100_v4",
        },
    ),
    _series("ND-series, P40", r"Standard_ND\d+r?s", date(2023, 9, 6), "Standard_NC4as_T4_v3", _RETIRED_LIST),
    _series("NV-series, M60", r"Standard_NV\d+(_Promo)?", date(2023, 9, 6), "Standard_NV6ads_A10_v5", _RETIRED_LIST),
    _series(
        "NVv3-series",
        r"Standard_NV\d+s_v3",
        date(2026, 9, 30),
        "Standard_NV6ads_A10_v5",
        "azure-compute-docs nvv3-series-retirement.md",
    ),
    _series("NVv4-series", r"Standard_NV\d+as_v4", date(2026, 9, 30), "Standard_NV6ads_A10_v5", _RETIRED_LIST),
    _series(
        "H-series",
        r"Standard_H\d+[mr]*(_Promo)?",
        date(2022, 8, 31),
        "Standard_HB120rs_v3",
        "azure-docs h-series-retirement.md",
    ),
    _series(
        "HB-series",
        r"Standard_HB60rs",
        date(2024, 8, 31),
        "Standard_HB120rs_v3",
        "azure-ai-docs includes/retiring-vms.md",
    ),
    _series("Av1-series", r"Standard_A\d+", date(2024, 8, 31), "Standard_D2s_v5", _RETIRED_LIST),
    _series("M192i v2 sizes", r"Standard_M192i[dm]*s_v2", date(2027, 3, 31), "an Msv2/Mdsv2 size", _RETIRED_LIST),
    _series("NP-series, FPGA", r"Standard_NP\d+s", date(2027, 5, 31), "Standard_NC4as_T4_v3", _RETIRED_LIST),
    _series("D/DS-series v1", r"Standard_DS?\d+", date(2028, 5, 1), "Standard_D4s_v5", _DSV2_GUIDE, _DSV2_SUCCESSORS),
    _series(
        "Dv2/DSv2-series",
        r"Standard_DS?\d+(-\d+)?_v2(_Promo)?",
        date(2028, 5, 1),
        "Standard_D4s_v5",
        _DSV2_GUIDE,
        _DSV2_SUCCESSORS,
    ),
    _series("Ls-series", r"Standard_L\d+s", date(2028, 5, 1), "Standard_L8s_v3", _DSV2_GUIDE),
    _series("Av2-series", r"Standard_A\d+m?_v2", date(2028, 11, 15), "Standard_D2s_v5", _LEGACY),
    _series("B-series v1", r"Standard_B\d+[lms]*", date(2028, 11, 15), "Standard_B2s_v2", _LEGACY),
    _series("F/Fs-series", r"Standard_F\d+s?", date(2028, 11, 15), "Standard_D4ls_v5", _LEGACY),
    _series("Fsv2-series", r"Standard_F\d+s_v2", date(2028, 11, 15), "Standard_D4ls_v5", _LEGACY),
    _series("G/GS-series", r"Standard_GS?\d+(-\d+)?", date(2028, 11, 15), "Standard_L8s_v3", _LEGACY),
    _series("Lsv2-series", r"Standard_L\d+s_v2", date(2028, 11, 15), "Standard_L8s_v3", _LEGACY),
)

Status = Literal["retired", "retiring", "announced"]


@dataclass(frozen=True)
class SizeNotice:
    """What Microsoft has announced for one size, as of a day."""

    size: str
    retirement: Retirement
    status: Status
    days_left: int

    @property
    def successor(self) -> str:
        return self.retirement.successor_of(self.size)

    def message(self) -> str:
        r = self.retirement
        when = r.retires.isoformat()
        if self.status == "retired":
            return (
                f"{self.size} ({r.series}) was retired on {when} and gets no nodes: use {self.successor} "
                f"(source: {r.source})"
            )
        lead = "retires" if self.status == "retiring" else "is announced for retirement"
        return (
            f"{self.size} ({r.series}) {lead} on {when} ({self.days_left} days): plan a move to "
            f"{self.successor} (source: {r.source})"
        )


def retirement_of(size: str) -> Retirement | None:
    """The retirement announced for ``size``'s series, if any."""
    return next((r for r in RETIREMENTS if r.pattern.fullmatch(size)), None)


def notice(size: str, today: date | None = None) -> SizeNotice | None:
    """The retirement news for ``size`` as of ``today`` (default: the machine's date)."""
    r = retirement_of(size)
    if r is None:
        return None
    days = (r.retires - (today or date.today())).days
    status: Status = "retired" if days <= 0 else "retiring" if days <= WARN_WITHIN_DAYS else "announced"
    return SizeNotice(size, r, status, max(days, 0))
