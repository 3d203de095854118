"""A tiny HTML reader for the MCQ tests (stdlib html.parser, no regex on HTML)."""

from __future__ import annotations

from html.parser import HTMLParser


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children: list = []

    @property
    def classes(self) -> set:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        out = []
        for ch in self.children:
            out.append(ch if isinstance(ch, str) else ch.text())
        return "".join(out)

    def find_all(self, tag=None, cls=None):
        for ch in self.children:
            if isinstance(ch, Node):
                if (tag is None or ch.tag == tag) and (cls is None or cls in ch.classes):
                    yield ch
                yield from ch.find_all(tag, cls)


VOID = {"meta", "br", "img", "link", "hr", "input", "source", "path", "use", "rect", "line", "circle"}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html: str) -> Node:
    b = _Builder()
    b.feed(html)
    return b.root
