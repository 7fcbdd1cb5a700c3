"""Whether a page is a discussion thread (a forum topic, a Q&A question, a Reddit post), by its URL or its markup.

A thread's article is every post on the page. trafilatura keeps only part of it: tuned for recall and without
comments it keeps the first post, or the longest run of posts, or one answer; its default settings add the
replies as comments on some forums and not on others. So the HTML path reads a thread's whole page instead
(`sito.html.extract`, source "thread"), and the line cleaner reads a thread's page in its "thread" mode: full-page
text without the main-block rule, since a thread has several blocks of text, not one (`sito.clean.cleaner`).

The page type comes from the URL, through the addresses the common forum and Q&A engines give a thread:
Discourse (`/t/slug/123`), XenForo (`/threads/slug.123/`), vBulletin (`showthread.php`), phpBB
(`viewtopic.php`), Invision (`/topic/123-slug/`), SMF (`index.php?topic=`), MyBB and Discuz!
(`thread-123.html`, `forum.php?mod=viewthread`), Vanilla (`/discussion/123/`), Stack Exchange
(`/questions/123/`), Reddit (`/r/sub/comments/`), phpBB's search-engine-friendly `topic123.html`, the host names
forum., forums., community., boards., bbs. and discuss. — not words such as "topics" in an article's path — and
the threads of the largest discussion sites of their languages, which run their own software: Baidu Tieba
(`tieba.baidu.com/p/123`), Zhihu (`zhihu.com/question/123`) and Hacker News (`news.ycombinator.com/item?id=`).
The HTML path judges a page given without its URL (an .html file) by the canonical address it declares
(`sito.html.metadata.declared_url`), and a page whose address says nothing by the schema.org type it declares
(`declares_thread`): `DiscussionForumPosting` or `QAPage`, in microdata or JSON-LD, which Discourse, XenForo,
vBulletin, Invision, Stack Exchange and many forums that run their own software put on a thread's page for
search engines. No library does this: the engines' URL schemes and the schema.org types are stable and well
known, and both cost next to nothing to read, where a page's layout would need a classifier.

Measured out of fold on the dev train split (`cv_cleaner.py` fold models, seed 0; docs/html.md): the pattern
picks 75 of wcxb's 84 forum pages, 3 of trafilatura-eval's pages (two forum threads and a Reddit post) and no
page of another type, and the markup 4 more forum pages and another trafilatura-eval thread; the HTML path's
token F1 on wcxb's forum pages goes from 0.692 (trafilatura's lines) to 0.774 (the whole page in "page" mode)
and 0.783 (in "thread" mode).
"""

from __future__ import annotations

import re

from lxml.etree import XPath

_THREAD_URL = re.compile(
    r"^[a-z][a-z0-9+.-]*://(?:forums?|community|boards?|bbs|discuss|discussion)\.[^/?#]+"  # the host says so
    r"|/forums?/|/threads?/|/thread-\d|/topic/\d|/boards/"  # XenForo, MyBB, Invision, forum folders
    r"|viewtopic\.php|showthread\.php|showtopic|index\.php\?topic=|viewthread"  # phpBB, vBulletin, SMF, IPB, Discuz!
    r"|/t/[^/?#]+/\d+|/questions/\d+|/discussions?/|/r/[^/?#]+/comments/"  # Discourse, Q&A, Vanilla, Reddit
    r"|/topic\d+\.html"  # phpBB with search-engine-friendly addresses
    r"|tieba\.baidu\.com/p/\d|zhihu\.com/question/\d|news\.ycombinator\.com/item\?id=",  # the largest sites
    re.IGNORECASE,
)


def is_thread_url(url: str | None) -> bool:
    """True when `url` is the address of a discussion thread on a forum, Q&A or Reddit-like site."""
    return bool(url) and _THREAD_URL.search(url) is not None


# A thread's own schema.org type, in microdata (`itemtype`) or JSON-LD. Not "Question", which FAQ blocks of
# articles and product pages use, nor "Comment", which news sites give their readers' comments.
_THREAD_MARKUP = XPath(
    "//*[@itemtype][contains(@itemtype, 'DiscussionForumPosting') or contains(@itemtype, 'QAPage')]"
    " | //script[contains(@type, 'ld+json')][contains(., 'DiscussionForumPosting') or contains(., 'QAPage')]")


def declares_thread(tree) -> bool:
    """True when the parsed page (an lxml tree) declares a discussion thread's schema.org type."""
    return bool(_THREAD_MARKUP(tree))
