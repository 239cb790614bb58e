"""What several bundled bugs share: the reference's POSTs sent through a rewrite while one of its phases runs."""
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
