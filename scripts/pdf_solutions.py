"""Exercise solutions of the print document, gathered at the end of each chapter.

On the site a solution is a collapsed block (``??? success "Solution"``) inside its exercise
(``??? question "Exercise 1: …"``). A printed book cannot collapse, and a solution printed in
place spoils the exercise, so the print document moves each chapter's solutions to its end,
under a heading ("Solutions", "풀이"): the exercise keeps a link to its solution, and each
solution starts with its exercise's title and a link back. The site is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<details\b[^>]*>|</details>")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.S)


@dataclass
class _Block:
    """One ``<details>`` element of a chapter: its span in the HTML and its nested blocks."""

    start: int  # index of "<details"
    open_end: int  # index just after the opening tag
    end: int = -1  # index just after "</details>"
    close: int = -1  # index of "</details>"
    children: list[_Block] = field(default_factory=list)

    def classes(self, html: str) -> list[str]:
        m = re.search(r'\bclass="([^"]*)"', html[self.start : self.open_end])
        return m[1].split() if m else []


def _blocks(html: str) -> list[_Block]:
    """The outermost ``<details>`` elements of ``html``, each with its nested ones."""
    top: list[_Block] = []
    stack: list[_Block] = []
    for m in _TAG.finditer(html):
        if m[0].startswith("</"):
            if stack:
                block = stack.pop()
                block.close, block.end = m.start(), m.end()
            continue
        block = _Block(m.start(), m.end())
        (stack[-1].children if stack else top).append(block)
        stack.append(block)
    return [b for b in top if b.end != -1]


def _exercises(html: str) -> list[tuple[_Block, list[_Block]]]:
    """Every exercise (a ``question`` block) with the ``success`` blocks directly inside it."""
    found = []

    def walk(blocks: list[_Block]) -> None:
        for block in blocks:
            if "question" in block.classes(html):
                solutions = [c for c in block.children if "success" in c.classes(html)]
                if solutions:
                    found.append((block, solutions))
                    continue
            walk(block.children)

    walk(_blocks(html))
    return found


def move_solutions(body: str, slug: str, words: dict[str, str]) -> str:
    """Move the solutions of one chapter's exercises to the end of the chapter.

    Each exercise gets the id ``<slug>--bp-exercise-<k>`` and, where its solution was, a link
    to ``<slug>--bp-solution-<k>``; the chapter ends with a section ``<slug>--bp-solutions``
    titled ``words["solutions"]`` that holds every solution, each under its exercise's title
    and with a link back (``words["to_solution"]``, ``words["back"]`` label the links). The
    solution keeps its exercise's title ("Exercise 2: …"), so a reader of the paper finds it by
    that number at the chapter's end. A chapter without solutions is returned unchanged.

    Examples:
        >>> words = {"solutions": "Solutions", "to_solution": "Solution", "back": "Back"}
        >>> page = ('<details class="question"><summary>Exercise 1: two</summary><p>1+1?</p>'
        ...         '<details class="success"><summary>Solution</summary><p>2</p></details>'
        ...         '</details><p>Summary</p>')
        >>> out = move_solutions(page, "ch", words)
        >>> out.index("<p>Summary</p>") < out.index("<h2") < out.index("<p>2</p>")
        True
        >>> re.findall(r'(?:id|href)="([^"]+)"', out)  # exercise, its link, section, back link
        ['ch--bp-exercise-1', '#ch--bp-solution-1', 'ch--bp-solutions', 'ch--bp-solution-1',
         '#ch--bp-exercise-1']
        >>> re.findall(r"<(?:h[23]|a)[^>]*>([^<]*)<", out)
        ['Solution', 'Solutions', 'Exercise 1: two', 'Back']
        >>> move_solutions("<p>No exercises</p>", "ch", words)
        '<p>No exercises</p>'
    """
    exercises = _exercises(body)
    if not exercises:
        return body
    pieces, solutions, at = [], [], 0
    for k, (exercise, blocks) in enumerate(exercises, start=1):
        exercise_id, solution_id = f"{slug}--bp-exercise-{k}", f"{slug}--bp-solution-{k}"
        opening = body[exercise.start : exercise.open_end]
        if not re.search(r'\bid="', opening):
            opening = opening.replace("<details", f'<details id="{exercise_id}"', 1)
        else:
            exercise_id = re.search(r'\bid="([^"]*)"', opening)[1]  # type: ignore[index]
        pieces += [body[at : exercise.start], opening]
        at = exercise.open_end
        for block in blocks:
            pieces.append(body[at : block.start])
            at = block.end
        link = f'<a href="#{solution_id}">{words["to_solution"]}</a>'
        pieces.append(f'{body[at : exercise.close]}<p class="bp-print-to-solution">{link}</p>')
        at = exercise.close
        title = _SUMMARY.search(body, exercise.open_end, exercise.close)
        inner = "".join(_SUMMARY.sub("", body[b.open_end : b.close], count=1) for b in blocks)
        solutions.append(
            f'<div class="bp-print-solution" id="{solution_id}">'
            f"<h3>{title[1] if title else k}</h3>"
            f'<p class="bp-print-back"><a href="#{exercise_id}">{words["back"]}</a></p>'
            f"{inner}</div>"
        )
    pieces.append(body[at:])
    section = (
        f'<section class="bp-print-solutions">'
        f'<h2 id="{slug}--bp-solutions">{words["solutions"]}</h2>{"".join(solutions)}</section>'
    )
    return "".join(pieces) + section
