"""junit.xml: one testcase per page × variant × language and per PDF; a failure lists its new issues."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from handpress.audit.models import AuditReport, Result

NAME = "junit"
FILENAME = "junit.xml"


def render(report: AuditReport) -> str:
    suites = ET.Element("testsuites", name="handpress audit", time=f"{report.seconds:.3f}")
    order = sorted(report.results, key=_suite_name)
    for name, group in groupby(order, key=_suite_name):
        results = list(group)
        suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(results)),
                              failures=str(sum(1 for r in results if r.new and r.error is None)),
                              errors=str(sum(1 for r in results if r.error is not None)), skipped="0")
        for result in results:
            _testcase(suite, name, result)
    _totals(suites)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _suite_name(result: Result) -> str:
    target = result.target
    return f"audit.{target.variant}" + (f".{target.language}" if target.language else "")


def _testcase(suite: ET.Element, classname: str, result: Result) -> None:
    case = ET.SubElement(suite, "testcase", classname=classname, name=result.target.page, time="0")
    if result.error is not None:
        ET.SubElement(case, "error", message=f"could not audit: {result.error}", type="audit-error")
    elif result.new:
        count = len(result.new)
        failure = ET.SubElement(case, "failure", type="accessibility",
                                message=f"{count} new accessibility issue{'s' if count != 1 else ''}")
        failure.text = "\n".join(
            f"{i.type}: {i.message} [{i.runner}: {i.code}]" + (f"\n  at {i.selector}" if i.selector else "")
            + (f"\n  {i.context}" if i.context else "")
            for i in result.new
        )


def _totals(suites: ET.Element) -> None:
    for attr in ("tests", "failures", "errors"):
        suites.set(attr, str(sum(int(s.get(attr, "0")) for s in suites)))
