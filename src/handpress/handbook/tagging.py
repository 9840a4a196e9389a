"""Two repairs to the structure tree WeasyPrint 70 writes, made on its PDF objects before they are written
(from the engine's finisher), so every handbook is valid PDF/UA-1 (ISO 14289-1, 7.2 and 7.18.5):

- a list item whose content is blocks (a loose list: ``<li><p>…</p><pre>…</pre></li>``) has them as its own
  children; PDF/UA wants only ``Lbl`` and ``LBody`` there, so they are moved into one ``LBody``;
- a link that holds other inline elements (``<a><code>…</code></a>``, the words of a remote image) gets a
  link annotation for each, tagged inside a ``Span`` or ``Code``; PDF/UA wants every link annotation in a
  ``Link`` element, so each goes to its link (the structure element and the parent tree both).
"""

from __future__ import annotations

from typing import Any

import pydyf

_LIST_KIDS = ("/Lbl", "/LBody")


def _number(reference: Any) -> int | None:
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return int(reference.split()[0])
    return None


def repair(pdf: pydyf.PDF) -> None:
    """Apply both repairs to ``pdf`` (a tagged document; an untagged one is left as it is)."""
    objects = {obj.number: obj for obj in pdf.objects if isinstance(obj, pydyf.Dictionary) and
               getattr(obj, "number", None) is not None}
    elements = {n: obj for n, obj in objects.items() if obj.get("Type") == "/StructElem"}
    if not elements:
        return
    for element in list(elements.values()):
        if element.get("S") == "/LI":
            _wrap_list_body(pdf, element, objects)
    _links(objects, elements)


def _wrap_list_body(pdf: pydyf.PDF, item: pydyf.Dictionary, objects: dict[int, Any]) -> None:
    kids = list(item.get("K") or [])
    kinds = [objects.get(_number(kid)) for kid in kids]
    if all(isinstance(kind, pydyf.Dictionary) and kind.get("S") in _LIST_KIDS for kind in kinds):
        return
    label = [kid for kid, kind in zip(kids, kinds) if isinstance(kind, pydyf.Dictionary) and kind.get("S") == "/Lbl"]
    rest = [kid for kid in kids if kid not in label]
    body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(rest), "P": item.reference})
    if "Pg" in item:
        body["Pg"] = item["Pg"]
    pdf.add_object(body)
    objects[body.number] = body
    for kid in rest:
        child = objects.get(_number(kid))
        if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
            child["P"] = body.reference
    item["K"] = pydyf.Array(label + [body.reference])


def _links(objects: dict[int, Any], elements: dict[int, pydyf.Dictionary]) -> None:
    root = next((obj for obj in objects.values() if obj.get("Type") == "/StructTreeRoot"), None)
    tree = objects.get(_number(root.get("ParentTree"))) if root is not None else None
    tree = tree if isinstance(tree, pydyf.Dictionary) else root.get("ParentTree") if root is not None else None
    nums = tree.get("Nums") if isinstance(tree, dict) else None
    for element in elements.values():
        if element.get("S") == "/Link":
            continue
        kids = list(element.get("K") or [])
        moved = [kid for kid in kids if isinstance(objects.get(_number(kid)), dict)
                 and objects[_number(kid)].get("Type") == "/OBJR"]
        link = _link_above(element, objects) if moved else None
        if link is None:
            continue
        element["K"] = pydyf.Array([kid for kid in kids if kid not in moved])
        link["K"] = pydyf.Array(list(link.get("K") or []) + moved)
        for kid in moved:
            annotation = objects.get(_number(objects[_number(kid)].get("Obj")))
            index = annotation.get("StructParent") if isinstance(annotation, dict) else None
            if nums is not None and index is not None:
                for i in range(0, len(nums) - 1, 2):
                    if nums[i] == index:
                        nums[i + 1] = link.reference


def _link_above(element: pydyf.Dictionary, objects: dict[int, Any]) -> pydyf.Dictionary | None:
    parent = objects.get(_number(element.get("P")))
    while isinstance(parent, pydyf.Dictionary) and parent.get("Type") == "/StructElem":
        if parent.get("S") == "/Link":
            return parent
        parent = objects.get(_number(parent.get("P")))
    return None
