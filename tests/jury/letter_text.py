"""The words of a decision letter as plain text, for the letter tests and their golden files: read from the HTML
that jury/letters.py prints the PDF from (`render_letter_html`), one line per block, table cells joined by ' | '."""

import re
from html.parser import HTMLParser

from jury.letters import render_letter_html


class _TextExtractor(HTMLParser):
    """The body's text with one line per block, table cells joined by ' | ' and list items marked '- '."""

    LINE = {"br", "tr", "li", "div", "dt", "dd", "caption"}
    PARAGRAPH = {"p", "h1", "h2", "h3", "header", "footer", "section", "address", "table", "ul", "ol", "dl"}
    CELL = {"td", "th"}
    HIDDEN = {"head", "style", "script", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in self.LINE:
            self.parts.append("\n- " if tag == "li" else "\n")
        elif tag in self.CELL:
            self.parts.append("\x1f")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1
        elif tag in self.PARAGRAPH:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\n\r\f]+", " ", data))

    def text(self):
        lines = []
        for line in "".join(self.parts).split("\n"):
            cells = [" ".join(cell.split()) for cell in line.split("\x1f")]
            text = " | ".join(cell for cell in cells if cell)
            if text or (lines and lines[-1]):
                lines.append(text)
        return "\n".join(lines).strip() + "\n"


def letter_text(decision, *, sent_at):
    """The letter's words as plain text, read from the same HTML the PDF is printed from."""
    extractor = _TextExtractor()
    extractor.feed(render_letter_html(decision, sent_at=sent_at))
    extractor.close()
    return extractor.text()
