"""One invented story for the tests of stored comparisons (no text from ../shared): three outlets
reporting one event, in the text format ``add`` reads."""

from __future__ import annotations

from pathlib import Path

# Invented articles (no text from ../shared): three outlets on one event.
ARTICLES = {
    "ledger.txt": """Title: Marrowfield dam spillway opened as reservoir nears its crest
Source: Fenwick Ledger
Date: 2026-04-11T07:00:00Z

Engineers opened the spillway of the Marrowfield dam on Saturday as the reservoir rose to within 40
centimetres of its crest. "The dam is sound, and we are releasing water in a controlled way," said Ilse
Varga, who runs the regional water board. About 2,300 residents downstream were told to move their cars.
""",
    "courier.txt": """Title: Water released at Marrowfield as reservoir rises
Source: Oxbow Courier
Date: 2026-04-11T09:30:00Z

The regional water board released water through the Marrowfield dam's spillway on Saturday, with the
reservoir 40 centimetres from the crest. "The dam is sound," Ilse Varga of the water board told
reporters. Some 2,300 people living below the dam were asked to move their vehicles to higher ground.
""",
    "herald.txt": """Title: Marrowfield residents warned as dam lets water out
Source: Kestrel Herald
Date: 2026-04-11T12:00:00Z

Residents below the Marrowfield dam were warned on Saturday after the water board opened its spillway.
Ilse Varga said the release was controlled. The reservoir had risen after a week of rain, and 3,000
people were told to expect high water on the river road, according to the county.
""",
}


def write_articles(folder: Path) -> list[str]:
    """The three articles written to ``folder`` as text files; their paths."""
    paths = []
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    return paths
