"""What several bundled bugs share: the reference's POSTs sent through a rewrite while one of its phases runs, or
every listed item read through one."""
from __future__ import annotations


class PostRewritten:
    """The reference, sending each POST through `rewritten` (the bug of a subclass) while `phase` runs."""

    def rewritten(self, path: str, body: dict, post):
        return post(path, body)

    def with_rewrite(self, phase, *args):
        post = self.client.post

        def rewriting(path, body, headers=None):
            return self.rewritten(path, body, lambda p, b: post(p, b, headers))
        self.client.post = rewriting
        try:
            return phase(*args)
        finally:
            self.client.post = post


class PagesRewritten:
    """The reference, reading every item of every list through `seen` (the bug of a subclass); None from `seen`
    ends that list there."""

    def seen(self, path: str, item: dict) -> dict | None:
        return item

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pages = self.client.pages

        def rewritten(path, key, **params):
            for item in pages(path, key, **params):
                item = self.seen(path, item)
                if item is None:
                    return
                yield item
        self.client.pages = rewritten
