"""Render the pull-request comment of the offline plan (the `PR plan` workflow).

The workflow leaves, per stack, the outputs of `pulumi-azureml plan`, `diff` and `check` in
``<dir>/<stack>/``: ``base.json`` (the base branch's plan, when it could be made), ``plan.json``,
``plan.md``, ``diff.md``, ``diff.json`` and ``check.md``, each with ``<file>.rc`` (exit status) and
``<file>.err`` (stderr). This script turns them into one markdown body that fits a GitHub comment
(summary per stack, data-loss and policy alerts first, then each stack's diff and policy results,
then as much of the full plans and dependency graphs as fits), and a list of reasons to fail the
job (a mandatory policy violation, a plan that could not be made, a data-loss risk on a guarded
stack without the acknowledging label).

Standard library only: it runs with any Python 3.11+, with or without the project's environment.
The hidden marker that makes the comment sticky is added by the workflow that posts it.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# GitHub rejects comments over 65536 characters; leave room for the marker and a margin.
DEFAULT_LIMIT = 60_000
TRUNCATION_NOTE = "\n_… truncated: the full text is in the `pr-plan-details` artifact of the workflow run._\n"
ERROR_EXCERPT_LINES = 15
_MERMAID_DETAILS = re.compile(
    r"<details><summary>Dependency graph</summary>\s*```mermaid\n.*?```\s*</details>\n?", re.S
)


@dataclass
class Outcome:
    """One command's result: its stdout (None when it did not run), exit status and stderr."""

    text: str | None
    rc: int | None
    err: str

    @property
    def ok(self) -> bool:
        return self.text is not None and self.rc == 0


@dataclass
class StackReport:
    name: str
    base: Outcome
    plan_json: Outcome
    plan_md: Outcome
    diff_md: Outcome
    diff_json: Outcome
    check_md: Outcome
    plan: dict[str, Any] | None = None
    changes: list[dict[str, Any]] | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def data_loss(self) -> list[dict[str, Any]]:
        return [c for c in self.changes or [] if c.get("dataLoss")]

    @property
    def replaced(self) -> list[dict[str, Any]]:
        return [c for c in self.changes or [] if c.get("replaces")]

    @property
    def policy_failed(self) -> bool:
        return self.check_md.rc == 1

    @property
    def policy_error(self) -> bool:
        return self.check_md.rc not in (0, 1)


def _read(path: Path, limit: int = 2_000_000) -> str | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        data = handle.read(limit)
    return data.decode("utf-8", errors="replace")


def _outcome(directory: Path, name: str) -> Outcome:
    text = _read(directory / name)
    rc_text = (_read(directory / f"{name}.rc") or "").strip()
    rc = int(rc_text) if re.fullmatch(r"-?\d{1,4}", rc_text) else None
    return Outcome(text=text, rc=rc, err=_read(directory / f"{name}.err") or "")


def load_stack(directory: Path, name: str) -> StackReport:
    d = directory / name
    report = StackReport(
        name=name,
        base=_outcome(d, "base.json"),
        plan_json=_outcome(d, "plan.json"),
        plan_md=_outcome(d, "plan.md"),
        diff_md=_outcome(d, "diff.md"),
        diff_json=_outcome(d, "diff.json"),
        check_md=_outcome(d, "check.md"),
    )
    if report.plan_json.ok and report.plan_json.text:
        try:
            report.plan = json.loads(report.plan_json.text)
        except json.JSONDecodeError:
            report.plan = None
    if report.diff_json.ok and report.diff_json.text:
        try:
            changes = json.loads(report.diff_json.text)
            report.changes = changes if isinstance(changes, list) else None
        except json.JSONDecodeError:
            report.changes = None
    return report


def _excerpt(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.strip()][-ERROR_EXCERPT_LINES:]
    # Backticks would close the fence; the text is the command's own stderr, shown as is otherwise.
    return "\n".join(lines).replace("`", "'") or "(no output on stderr)"


def _error_block(what: str, outcome: Outcome) -> str:
    status = "did not run" if outcome.rc is None else f"exit status {outcome.rc}"
    excerpt = _excerpt(outcome.err)
    return f"<details open><summary>{what} ({status})</summary>\n\n```text\n{excerpt}\n```\n\n</details>\n"


def _demote(markdown: str, levels: int = 1) -> str:
    """Headings one level down (they sit under the stack's own heading); code fences untouched."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out) + "\n"


def truncate(markdown: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a line end, with open code fences and <details> closed."""
    if len(markdown) <= limit:
        return markdown
    closing_room = 200 + len(TRUNCATION_NOTE)
    cut = markdown[: max(0, limit - closing_room)]
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else ""
    fenced = False
    for line in cut.splitlines():
        if line.startswith("```"):
            fenced = not fenced
    tail = "```\n" if fenced else ""
    open_details = len(re.findall(r"<details[ >]", cut)) - cut.count("</details>")
    tail += "\n</details>\n" * max(0, open_details)
    return cut + tail + TRUNCATION_NOTE


def _policy_cell(report: StackReport) -> str:
    if report.check_md.rc == 0:
        return ":white_check_mark: pass"
    if report.check_md.rc == 1:
        return ":x: **mandatory violation**"
    return ":warning: check failed"


def _summary_row(report: StackReport) -> str:
    name = f"`{report.name}`"
    if report.plan is None:
        return f"| {name} | :x: plan failed | | | | | | {_policy_cell(report)} |"
    resources = report.plan.get("summary", {}).get("resources", "?")
    if report.changes is None:
        why = "new stack" if report.base.text is None and report.base.rc is None else "no diff"
        return f"| {name} | {resources} | _{why}_ | | | | | {_policy_cell(report)} |"
    counts = {kind: sum(1 for c in report.changes if c.get("kind") == kind) for kind in ("added", "removed", "changed")}
    loss = len(report.data_loss)
    loss_cell = f":boom: **{loss}**" if loss else "0"
    return (
        f"| {name} | {resources} | {counts['added']} | {counts['removed']} | {counts['changed']} | "
        f"{len(report.replaced)} | {loss_cell} | {_policy_cell(report)} |"
    )


def _core_section(report: StackReport) -> str:
    """What a reviewer must see for a stack: its diff against the base and its policy results."""
    parts = [f"### `{report.name}`\n"]
    if report.plan is None:
        parts.append(_error_block(f"<code>pulumi-azureml plan --stack {report.name}</code> failed", report.plan_json))
        return "\n".join(parts)
    if report.base.text is None and report.base.rc is None:
        parts.append(f"_`{report.name}` has no stack file on the base branch: everything in its plan is new._\n")
    elif not report.base.ok:
        parts.append("_The base branch could not be planned for this stack, so there is no diff._\n")
        parts.append(_error_block("plan of the base branch", report.base))
    elif report.diff_md.ok and report.diff_md.text:
        parts.append(_demote(report.diff_md.text))
    else:
        parts.append(_error_block("<code>pulumi-azureml diff</code> failed", report.diff_md))
    if report.check_md.text and report.check_md.rc == 1:
        parts.append(_demote(report.check_md.text))
    elif report.check_md.text and report.check_md.rc == 0:
        # Passing: only advisory findings, folded away.
        lines = report.check_md.text.splitlines()
        verdict = next((line for line in lines if line.strip() and not line.startswith("#")), "passed")
        summary = f"\u2705 Policy check of <code>{report.name}</code>: {html.escape(verdict)}"
        parts.append(f"<details><summary>{summary}</summary>\n\n{_demote(report.check_md.text)}\n</details>\n")
    else:
        parts.append(_error_block(f"<code>pulumi-azureml check --stack {report.name}</code> failed", report.check_md))
    return "\n".join(parts)


def _detail_levels(report: StackReport) -> list[str]:
    """The full plan, richest first: with the dependency graph, without it, or a pointer."""
    pointer = f"_The full plan of `{report.name}` did not fit in this comment: see the `pr-plan-details` artifact._\n"
    if not (report.plan_md.ok and report.plan_md.text):
        return [""]
    summary = f"<details><summary>Full plan of <code>{report.name}</code></summary>\n\n"
    full = summary + _demote(report.plan_md.text) + "\n</details>\n"
    without_graph = summary + _demote(_MERMAID_DETAILS.sub("", report.plan_md.text)) + "\n</details>\n"
    return [full, without_graph, pointer] if without_graph != full else [full, pointer]


def _alerts(reports: list[StackReport], guarded: set[str], allow_data_loss: bool) -> str:
    out = []
    risky = [(r, c) for r in reports for c in r.data_loss]
    if risky:
        out += ["> [!CAUTION]", "> **Data-loss risk.** Merging this replaces stateful resources (delete, then create):"]
        for report, change in risky:
            reasons = "; ".join(str(x) for x in change.get("reasons", []))
            kind = str(change.get("type", "")).replace("azure-native:", "")
            out.append(f"> - `{report.name}`: `{kind}` `{change.get('name')}`: {reasons}")
        if any(r.name in guarded for r, _ in risky):
            out.append(
                ">\n> The `allow-data-loss` label acknowledges this for "
                + ", ".join(f"`{s}`" for s in sorted(guarded))
                + (": it is set." if allow_data_loss else "; without it this check fails.")
            )
        out.append("")
    violated = [r.name for r in reports if r.policy_failed]
    broken = [r.name for r in reports if r.plan is None or r.policy_error]
    if violated or broken:
        out.append("> [!WARNING]")
        if violated:
            out.append("> **Mandatory policy violations** in " + ", ".join(f"`{s}`" for s in violated) + ".")
        if broken:
            out.append("> **Could not plan or check** " + ", ".join(f"`{s}`" for s in broken) + ".")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def failures(reports: list[StackReport], guarded: set[str], allow_data_loss: bool) -> list[str]:
    reasons = []
    for report in reports:
        if report.plan is None:
            reasons.append(f"{report.name}: pulumi-azureml plan failed (exit status {report.plan_json.rc})")
            continue
        if report.policy_failed:
            reasons.append(f"{report.name}: mandatory policy violation (pulumi-azureml check)")
        elif report.policy_error:
            reasons.append(f"{report.name}: pulumi-azureml check failed (exit status {report.check_md.rc})")
        if report.base.ok and not report.diff_md.ok:
            reasons.append(f"{report.name}: pulumi-azureml diff failed (exit status {report.diff_md.rc})")
        if report.name in guarded and report.data_loss and not allow_data_loss:
            names = ", ".join(str(c.get("name")) for c in report.data_loss)
            reasons.append(f"{report.name}: data-loss risk ({names}) without the allow-data-loss label")
    return reasons


def render(
    reports: list[StackReport],
    *,
    limit: int = DEFAULT_LIMIT,
    guarded: set[str] | None = None,
    allow_data_loss: bool = False,
    base_sha: str = "",
    head_sha: str = "",
    run_url: str = "",
) -> str:
    guarded = guarded or set()
    meta = ["offline: `pulumi-azureml plan`, `diff` and `check`, no cloud credentials"]
    if base_sha and head_sha:
        meta.insert(0, f"base `{base_sha[:7]}` → merge `{head_sha[:7]}`")
    if run_url:
        meta.append(f"[workflow run]({run_url})")
    header = (
        "## :clipboard: Offline plan\n\n"
        + " · ".join(meta)
        + "\n\n"
        + _alerts(reports, guarded, allow_data_loss)
        + "| stack | resources | added | removed | changed | replaced | data loss | policy |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---|\n"
        + "\n".join(_summary_row(r) for r in reports)
        + "\n\n"
    )
    cores = [_core_section(r) for r in reports]
    levels = [_detail_levels(r) for r in reports]
    chosen = [len(options) - 1 for options in levels]  # start from the smallest: the pointer

    def total() -> int:
        details = sum(len(levels[i][chosen[i]]) + 1 for i in range(len(reports)))
        return len(header) + sum(len(c) + 1 for c in cores) + details

    # The core sections must fit: share what is left among them, the smallest first.
    room = limit - len(header) - sum(len(levels[i][chosen[i]]) + 1 for i in range(len(reports)))
    if room < sum(len(c) + 1 for c in cores):
        order = sorted(range(len(cores)), key=lambda i: len(cores[i]))
        left = room
        for position, i in enumerate(order):
            share = max(0, left // (len(order) - position) - 1)
            cores[i] = truncate(cores[i], share)
            left -= len(cores[i]) + 1
    # Then the full plans, guarded stacks (prod) first, each as rich as still fits.
    for i in sorted(range(len(reports)), key=lambda i: (reports[i].name not in guarded, i)):
        for level in range(len(levels[i])):
            previous, chosen[i] = chosen[i], level
            if total() <= limit:
                break
            chosen[i] = previous
    parts = [header]
    for i in range(len(reports)):
        parts.append(cores[i] + "\n" + levels[i][chosen[i]] + "\n")
    body = "".join(parts)
    return truncate(body, limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dir", type=Path, required=True, help="the directory with one folder per stack")
    parser.add_argument("--stacks", nargs="+", required=True)
    parser.add_argument("--body", type=Path, required=True, help="where to write the markdown")
    parser.add_argument("--failures", type=Path, required=True, help="where to write the reasons to fail, one a line")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="maximum characters of the body")
    parser.add_argument("--guard", action="append", default=[], help="a stack where data loss fails the job")
    parser.add_argument("--allow-data-loss", default="false", help="'true' when the acknowledging label is set")
    parser.add_argument("--base-sha", default="")
    parser.add_argument("--head-sha", default="")
    parser.add_argument("--run-url", default="")
    args = parser.parse_args(argv)
    reports = [load_stack(args.dir, stack) for stack in args.stacks]
    allow = args.allow_data_loss.strip().lower() == "true"
    body = render(
        reports,
        limit=args.limit,
        guarded=set(args.guard),
        allow_data_loss=allow,
        base_sha=args.base_sha,
        head_sha=args.head_sha,
        run_url=args.run_url,
    )
    args.body.parent.mkdir(parents=True, exist_ok=True)
    args.body.write_text(body, encoding="utf-8")
    reasons = failures(reports, set(args.guard), allow)
    args.failures.write_text("".join(f"{reason}\n" for reason in reasons), encoding="utf-8")
    for reason in reasons:
        print(f"fail: {reason}", file=sys.stderr)
    print(f"wrote {args.body} ({len(body)} characters, {len(reasons)} reasons to fail)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
