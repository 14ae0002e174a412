"""The project's own import-linter contract type, used by ``make lint`` (``lint-imports``
puts the working directory on the path, so ``tests.support`` imports from the repo root).

``acyclic_modules``: no module of the given packages imports itself back through a chain of
imports (a cycle), whatever the packages those modules sit in. import-linter's own
``acyclic_siblings`` compares whole sibling packages, which also forbids two domains of
core depending on each other through different modules (docs/architecture.md lists those
couplings); a module-level cycle is the kind Python itself trips on and the kind that used
to be held apart by imports inside functions."""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def module_cycles(graph: grimp.ImportGraph, packages: list[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    iterative), each sorted, among the modules of ``packages``."""
    modules = sorted(
        m for m in graph.modules if any(m == p or m.startswith(p + ".") for p in packages)
    )
    inside = set(modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & inside) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        containers: list[str] = list(self.containers)  # type: ignore[call-overload]
        cycles = module_cycles(graph, containers)
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check: ContractCheck) -> None:
        graph_cycles: list[list[str]] = check.metadata["cycles"]
        for cycle in graph_cycles:
            output.print_error(f"These modules import each other in a cycle: {', '.join(cycle)}")
            output.new_line()
