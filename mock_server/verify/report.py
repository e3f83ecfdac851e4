"""How a run is shown: a line per check on the terminal, a summary, JSON and JUnit XML files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import TextIO

from bitel_mock.verify.model import CheckResult, Report


def line(result: CheckResult) -> str:
    """The progress line of one finished check."""
    mark = "PASS" if result.passed else "FAIL"
    extra = f"  ({len(result.findings)} findings)" if len(result.findings) > 1 else ""
    return f"{mark}  {result.name:<48} {result.summary}{extra}"


def summary(report: Report, out: TextIO) -> None:
    """The findings in full, then one verdict line."""
    findings = report.findings
    if findings:
        print("\nFindings:", file=out)
        for number, finding in enumerate(findings, 1):
            print(
                f"{number:>3}. [{finding.fault.value} at fault, evidence {finding.evidence.value}] {finding.check}",
                file=out,
            )
            print(f"     {finding.message}", file=out)
            if finding.exchange is not None:
                ex = finding.exchange.to_json()
                body = (
                    ""
                    if ex["body"] is None
                    else " " + json.dumps(ex["body"], ensure_ascii=False)[:200]
                )
                print(f"     request:  {ex['method']} {ex['path']}{body}", file=out)
                print(f"     response: {ex['status']} {ex['response'][:200]}", file=out)
    failed = sum(not r.passed for r in report.results)
    faults = Counter(f.fault.value for f in findings)
    blame = ", ".join(f"{n} {side} at fault" for side, n in sorted(faults.items()))
    verdict = "PASSED" if report.passed else "FAILED"
    print(
        f"\n{verdict}: {len(report.results) - failed} of {len(report.results)} checks passed, "
        f"{len(findings)} findings{' (' + blame + ')' if blame else ''}; "
        f"profile {report.profile}, seed {report.seed}, {report.base_url}",
        file=out,
    )


def write_json(path: Path, report: Report) -> None:
    path.write_text(
        json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def junit(report: Report) -> ET.Element:
    """JUnit XML: one test suite per group of checks, one test case per check."""
    root = ET.Element(
        "testsuites",
        name="bitel-mock verify",
        tests=str(len(report.results)),
        failures=str(sum(not r.passed for r in report.results)),
    )
    groups: dict[str, list[CheckResult]] = {}
    for result in report.results:
        groups.setdefault(result.group, []).append(result)
    for group, results in groups.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"verify.{group}",
            tests=str(len(results)),
            failures=str(sum(not r.passed for r in results)),
            errors="0",
            skipped="0",
            time=f"{sum(r.seconds for r in results):.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("baseUrl", report.base_url),
            ("profile", report.profile),
            ("seed", str(report.seed)),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"verify.{group}",
                name=result.name,
                time=f"{result.seconds:.3f}",
            )
            if result.findings:
                first = result.findings[0]
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{first.check}: {first.message}",
                    type=f"{first.fault.value}-at-fault",
                )
                failure.text = json.dumps(
                    [f.to_json() for f in result.findings], indent=2, ensure_ascii=False
                )
    return root


def write_junit(path: Path, report: Report) -> None:
    tree = ET.ElementTree(junit(report))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def write(path: Path, report: Report) -> None:
    """JUnit XML when the name ends in .xml, JSON otherwise."""
    if path.suffix.lower() == ".xml":
        write_junit(path, report)
    else:
        write_json(path, report)
