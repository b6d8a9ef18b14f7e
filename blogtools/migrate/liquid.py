"""Jekyll's Liquid in a post body → what Hugo renders the same way, or kept visibly and reported.

Jekyll runs Liquid over the whole body before kramdown; Hugo runs none (and reads ``{{<``
and ``{{%`` as shortcodes, even inside code). In the order Liquid itself reads them:

- ``{% raw %}…{% endraw %}``: the tags removed, the content kept literally (also inside
  ``{% highlight %}``);
- ``{% comment %}…{% endcomment %}``: removed (Jekyll renders nothing);
- ``{% highlight lang [linenos] %}`` → fenced code (``<pre><code>`` in an HTML page);
- URLs: ``{{ site.url }}``, ``{{ site.baseurl }}``, ``relative_url``/``absolute_url``,
  ``prepend``/``append``, ``{% link %}`` are evaluated by :mod:`blogtools.generators.jekyll`
  (the lint side's evaluation) with an empty base, so links stay site-relative;
  ``{% post_url %}`` is left for :func:`blogtools.migrate.target_hugo.rewrite_links`;
- ``{% include %}`` of an embed → the Hugo shortcode;
- ``{{% … %}}`` and ``{{< … >}}`` render nothing in Jekyll: dropped, with a warning;
- anything else is kept as an HTML comment (outside a tag) or as it is (inside an HTML
  attribute, where a comment would break the tag), and reported.

Text that Hugo would read as a shortcode inside kept content (raw, code) is escaped as
``{{</* … */>}}``, which Hugo prints as written. Set-aside text uses
:class:`blogtools.migrate.util.Placeholders`: none can leak.
"""

from __future__ import annotations

import bisect
import html
import os
import re
from typing import Any

from blogtools.migrate import _embeds
from blogtools.migrate.model import Post
from blogtools.migrate.util import Placeholders, blocks, set_aside_fences

_RAW = (re.compile(r"\{%-?\s*raw\s*-?%\}"), re.compile(r"\{%-?\s*endraw\s*-?%\}"))
_COMMENT = (re.compile(r"\{%-?\s*comment\s*-?%\}"), re.compile(r"\{%-?\s*endcomment\s*-?%\}"))
_HIGHLIGHT = (re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)((?:\s+[\w=\"'-]+)*)\s*-?%\}[ \t]*\n?"),
              re.compile(r"\n?[ \t]*\{%-?\s*endhighlight\s*-?%\}"))
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_INCLUDE = re.compile(r"\{%-?\s*include(?:_cached)?\s+([\w./-]+)(.*?)-?%\}\Z", re.S)
_INCLUDE_VAR = re.compile(r"\{\{-?\s*include\.([\w-]+)\s*-?\}\}")
_PARAMS = re.compile(r"""\s*(?:([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'))\s*""")
_SHORTCODE = re.compile(r"\{\{<(?!/\*)([^\n]*?)>\}\}|\{\{%(?!/\*)([^\n]*?)%\}\}")
_LONE = re.compile(r"\{\{(?=[<%])(?!./\*)")
_TAG_SPAN = re.compile(r"<[A-Za-z/!][^<>]*>")


def evaluator(gen: Any) -> Any:
    """The site's Jekyll profile with an empty ``url`` and ``baseurl``: URLs come out
    site-relative, as the new site serves them (cached on ``gen``)."""
    found = gen.__dict__.get("_migrate_liquid")
    if found is None:
        from blogtools.generators.jekyll import Jekyll
        from blogtools.site import Site

        config = {**(gen.site.config or {}), "url": None, "baseurl": None}
        found = gen.__dict__["_migrate_liquid"] = Jekyll(Site(gen.site.root, "jekyll", config=config))
    return found


def escape_shortcodes(text: str, post: Post) -> str:
    """``{{< x >}}``/``{{% x %}}`` in kept text → Hugo's escaped form (printed as written); a
    lone ``{{<`` gets a zero-width space, since Hugo would fail on it."""
    if "{{" not in text:
        return text
    text, n = _SHORTCODE.subn(lambda m: f"{{{{</*{m.group(1)}*/>}}}}" if m.group(1) is not None
                              else f"{{{{%/*{m.group(2)}*/%}}}}", text)
    text, lone = _LONE.subn("{{\u200b", text)
    if n:
        post.note("text Hugo would read as a shortcode escaped ({{</* … */>}}): printed as written")
    if lone:
        post.warn(f"{lone} unclosed '{{{{<' or '{{{{%' in code: a zero-width space keeps Hugo from reading a shortcode")
    return text


def convert(post: Post, text: str, gen: Any, html_page: bool = False) -> str:
    if "{" not in text:
        return text
    ph = Placeholders(text)
    mark = ph.mark

    def raw(m: re.Match[str], inner: str, c: re.Match[str]) -> str:
        post.note("{% raw %} unwrapped")
        return ph.keep(escape_shortcodes(inner, post))

    text = blocks(text, *_RAW, raw)

    def comment(m: re.Match[str], inner: str, c: re.Match[str]) -> str:
        post.note("{% comment %} removed (Jekyll renders nothing for it)")
        return ""

    text = blocks(text, *_COMMENT, comment)

    def highlight(m: re.Match[str], code: str, c: re.Match[str]) -> str:
        lang, opts = m.group(1), m.group(2) or ""
        code = ph.restore(code).strip("\n")
        post.note("{% highlight %} → fenced code")
        if html_page:
            attrs = f' class="language-{html.escape(lang)}" data-lang="{html.escape(lang)}"'
            return ph.keep(escape_shortcodes(f"<pre><code{attrs}>{html.escape(code, quote=False)}</code></pre>", post))
        fence = "```"
        while fence in code:
            fence += "`"
        attrs = " {linenos=true}" if "linenos" in opts else ""
        return ph.keep(escape_shortcodes(f"{fence}{lang}{attrs}\n{code}\n{fence}", post))

    text = blocks(text, *_HIGHLIGHT, highlight)
    lgen = evaluator(gen)
    liquid_rx = re.compile(rf"\{{%(?:(?!\{{[{{%])[^{mark}])*?%\}}|\{{\{{(?:(?!\{{[{{%])[^{mark}])*?\}}\}}", re.S)

    defined = set(_DEFINES.findall(text)) | _JEKYLL_OBJECTS

    def fenced(block: str) -> str:
        """Jekyll runs Liquid over code too: an undefined plain variable prints nothing
        (:func:`undefined_in_code`), URL Liquid (``{{ site.baseurl }}``) is evaluated there as
        elsewhere; other Liquid stays as written (a comment would show in code)."""
        block = undefined_in_code(block, post, defined)
        if "{" in block:
            def url(m: re.Match[str]) -> str:
                value = lgen.evaluate(_page_values(m.group(0), post), None)
                if value is None or m.group(0).startswith(("{{%", "{{<")):
                    return m.group(0)
                post.note("Liquid URLs in code evaluated, as Jekyll renders them")
                return value
            block = liquid_rx.sub(url, block)
        return escape_shortcodes(block, post)

    if not html_page:
        text = set_aside_fences(text, ph, fenced)  # the rest is Markdown's business
    tags = [(t.start(), t.end()) for t in _TAG_SPAN.finditer(text)] if "<" in text else []
    starts = [a for a, _ in tags]

    def one(m: re.Match[str]) -> str:
        tag = m.group(0)
        if re.match(r"\{%-?\s*post_url\b", tag):
            return tag  # → the new URL once every post has one (target_hugo.rewrite_links)
        if tag.startswith(("{{%", "{{<")):
            post.warn(f"{tag[:80]} renders nothing in Jekyll (not Liquid Hugo could read): dropped")
            return ""
        inc = _INCLUDE.match(tag)
        if inc:
            call = include(post, inc)
            if call is None:
                line_start = text.rfind("\n", 0, m.start()) + 1
                line_end = text.find("\n", m.end())
                alone = not text[line_start:m.start()].strip() and not text[m.end():len(text) if line_end < 0
                                                                             else line_end].strip()
                call = inline_include(post, inc, lgen, alone, html_page)
            if call is not None:
                return ph.keep(call)
        value = lgen.evaluate(_page_values(tag, post), None)
        if value is not None:
            post.note("Liquid URLs ({{ site.baseurl }}, relative_url, {% link %}...) → site-relative paths")
            return value
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and tags[i][1] > m.start():
            post.warn(f"Liquid {tag[:80]} inside an HTML tag has no Hugo equivalent: kept as it is")
            _template(post, tag)
            return tag
        return _unknown(post, tag)

    text = liquid_rx.sub(one, text)
    return ph.restore(text)


# a plain variable in output markup (no filter), and the names a post's own Liquid defines
_PLAIN_VAR = re.compile(r"\{\{-?[ \t]*([A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*|\[\d+\])*[ \t]*-?\}\}")
_DEFINES = re.compile(r"\{%-?\s*(?:assign|capture|increment|decrement|for|tablerow)\s+([A-Za-z_][\w-]*)")
_JEKYLL_OBJECTS = frozenset("site page layout include content paginator jekyll forloop tablerowloop".split())


def undefined_in_code(code: str, post: Post, defined: set[str] | frozenset[str]) -> str:
    """``{{ matrix.os }}`` in fenced code: Jekyll runs Liquid over code too, and a variable
    neither Jekyll nor the post defines prints nothing (a GitHub Actions ``${{ matrix.os }}``
    showed ``$``). The new site shows what the reader saw; each is reported."""
    if "{{" not in code:
        return code
    dropped: list[str] = []

    def drop(m: re.Match[str]) -> str:
        if m.group(1) in defined:
            return m.group(0)
        dropped.append(m.group(0))
        return ""

    code = _PLAIN_VAR.sub(drop, code)
    for tag in dict.fromkeys(dropped):
        post.warn(f"Liquid {tag[:80]} in code prints nothing in Jekyll (the variable is not defined): dropped, as"
                  " the reader saw it; wrap the code in {% raw %} in the source to keep it")
    return code


_PAGE_VAR = re.compile(r"(?<![\w.])page\.([A-Za-z_][\w-]*)(?:\[(\d+)\])?(?![\w.\[])")
# page variables Jekyll computes (whatever the front matter says) or formats (a date)
_COMPUTED = frozenset("url date id path content excerpt collection next previous dir name relative_path output".split())


def _page_values(tag: str, post: Post) -> str:
    """``page.key`` and ``page.key[N]`` of the post's own front matter, when the value is a
    string or a number, written as the quoted literal Jekyll would print, so the evaluation
    of URLs and their filters sees it; anything else is left for it to refuse."""
    if "page." not in tag:
        return tag
    params = post.meta.get("params") if isinstance(post.meta.get("params"), dict) else {}

    def literal(m: re.Match[str]) -> str:
        key, index = m.group(1), m.group(2)
        if key in _COMPUTED:
            return m.group(0)
        value = post.meta.get(key, params.get(key))
        if index is not None:
            value = value[int(index)] if isinstance(value, list) and int(index) < len(value) else None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return m.group(0)
        text = str(value)
        quote = '"' if '"' not in text else "'" if "'" not in text else ""
        return f"{quote}{text}{quote}" if quote else m.group(0)

    return _PAGE_VAR.sub(literal, tag)


# what Liquid and Jekyll themselves define: a template using only these renders the same in
# any Jekyll build (a plugin's tag or filter needs the plugin, which a build may not have)
LIQUID_TAGS = frozenset("""if unless else elsif endif endunless case when endcase for endfor break continue cycle
    tablerow endtablerow assign capture endcapture increment decrement include include_relative raw endraw comment
    endcomment highlight endhighlight link post_url liquid echo render""".split())
LIQUID_FILTERS = frozenset("""abs append at_least at_most capitalize ceil compact concat date default divided_by
    downcase escape escape_once first floor join last lstrip map minus modulo newline_to_br plus prepend remove
    remove_first remove_last replace replace_first replace_last reverse round rstrip size slice sort sort_natural
    split strip strip_html strip_newlines sum times truncate truncatewords uniq upcase url_decode url_encode
    base64_encode base64_decode base64_url_safe_encode base64_url_safe_decode where relative_url absolute_url
    date_to_xmlschema date_to_rfc822 date_to_string date_to_long_string where_exp find find_exp group_by
    group_by_exp xml_escape cgi_escape uri_escape number_of_words array_to_sentence_string markdownify smartify
    sassify scssify slugify jsonify normalize_whitespace sample pop push shift unshift inspect to_integer""".split())
_FILTER_NAME = re.compile(r"""\|\s*([A-Za-z_][\w-]*)|("[^"]*"|'[^']*')""")


def _template(post: Post, tag: str) -> bool:
    """Counts ``tag`` in ``post.extra["liquid_template"]`` when it is Liquid of Liquid and
    Jekyll themselves (a loop over ``site.posts``, ``site.data``, ``capture``, ``where``...):
    Jekyll's own build renders it as the site did, so the page's rendered HTML can stand in
    for it (:func:`blogtools.migrate.sources.jekyll.render_templates`). A plugin's tag or
    filter is not counted (False): a build without the plugin would print something else."""
    if tag.startswith("{%"):
        name = re.match(r"\{%-?\s*(\w*)", tag).group(1)
        if name not in LIQUID_TAGS:
            return False
    filters = [m.group(1) for m in _FILTER_NAME.finditer(tag) if m.group(1)]
    if any(f not in LIQUID_FILTERS for f in filters):
        return False
    post.extra["liquid_template"] = post.extra.get("liquid_template", 0) + 1
    return True


def _unknown(post: Post, tag: str) -> str:
    """Liquid Hugo cannot run would print as text: kept as an HTML comment (Hugo drops
    comments without the raw-HTML warning) and reported. A plugin's tag or filter is also
    listed in ``post.extra["liquid_plugin"]`` (comment → tag): with ``--jekyll-plugins``
    the comment becomes what Jekyll rendered for it
    (:func:`blogtools.migrate.sources.jekyll.render_templates`)."""
    inner = re.sub(r"-{2,}", "-", re.sub(r"^\{[{%]-?\s*|\s*-?[}%]\}$", "", tag)).strip()
    comment = f"<!-- blogtools migrate: Jekyll Liquid `{inner}` has no Hugo equivalent -->"
    if not _template(post, tag):
        post.extra.setdefault("liquid_plugin", {})[comment] = tag
    post.raw(kept_as_comment(tag))
    return comment


def kept_as_comment(tag: str) -> str:
    """The report line of a Liquid tag kept as an HTML comment."""
    return f"Liquid {tag[:80]} (no Hugo equivalent: kept as an HTML comment)"


def inline_include(post: Post, m: re.Match[str], lgen: Any, alone: bool, html_page: bool) -> str | None:
    """``{% include x.html a="…" %}`` as Jekyll renders it, when the include holds only HTML,
    ``{{ include.a }}`` and URL Liquid: its text, with the parameters (quoted strings only)
    put in. None when it needs more Liquid than that (a variable, a loop, another include)."""
    from blogtools.migrate.util import Guard, read_text

    name, args = m.group(1), m.group(2).strip()
    params: dict[str, str] = {}
    pos = 0
    while pos < len(args):
        p = _PARAMS.match(args, pos)
        if p is None or p.end() == pos:
            return None  # a variable as a value: Liquid we do not run
        params[p.group(1)] = p.group(2) if p.group(2) is not None else p.group(3)
        pos = p.end()
    folder = lgen.site.setting("includes_dir", "_includes")
    folder = folder if isinstance(folder, str) and folder else "_includes"
    root = lgen.site.root
    path = os.path.normpath(os.path.join(root, folder, name))
    if ".." in name.split("/") or not os.path.isfile(path):
        return None
    content, _ = read_text(path, Guard(root))
    if content is None:
        return None
    content = _INCLUDE_VAR.sub(lambda v: params.get(v.group(1), ""), content)
    if "{{" in content or "{%" in content:
        value = lgen.evaluate(content, None)
        if value is None:
            return None
        content = value
    content = content.strip("\n")
    if alone and not html_page:
        from blogtools.migrate.body import html_body

        content = html_body(content)[0]
    elif re.search(r"<(pre|textarea)\b", content, re.I):
        return None
    else:
        content = re.sub(r"\s*\n\s*", " ", content)
    post.note(f"{{% include {name} %}} inlined (its HTML, as Jekyll renders it)")
    return content


def include(post: Post, m: re.Match[str]) -> str | None:
    """``{% include youtube.html id="…" %}`` (and the other embeds) → the shortcode call."""
    name = m.group(1)
    params = {k: a or b or c for k, a, b, c in _PARAM.findall(m.group(2))}
    base = os.path.splitext(os.path.basename(name))[0].lower()
    values = list(params.values())
    embed = None
    for value in values:
        embed = _embeds.detect_url(value)
        if embed:
            break
    if embed is None and values:
        ident = params.get("id") or params.get("video_id") or values[0]
        for provider in ("youtube", "vimeo", "speakerdeck", "slideshare", "instagram"):
            if provider in base:
                embed = _embeds.make(provider, ident)
        if embed is None and base in ("tweet", "twitter", "x") and params.get("user"):
            embed = _embeds.make("x", ident, user=params["user"])
        if embed is None and "gist" in base and params.get("user"):
            embed = _embeds.make("gist", ident, user=params["user"], file=params.get("file", ""))
    call = _embeds.call(embed) if embed is not None else None
    if call is None:
        return None
    post.note(f"{{% include {name} %}} → {embed.provider} shortcode")
    return call


# --------------------------------------------------------------------------- Liquid → a Hugo shortcode template
_LIQUID_TOKEN = re.compile(r"\{%(-?)(.*?)(-?)%\}|\{\{(-?)(.*?)(-?)\}\}", re.S)
_IDENT = re.compile(r"[A-Za-z_][\w-]*\Z")
_POST_FIELDS = {"title": "Title", "url": "RelPermalink", "date": "Date", "excerpt": "Summary", "content": "Content"}
_STRFTIME = {"%Y": "2006", "%m": "01", "%d": "02", "%-d": "2", "%e": "_2", "%-m": "1", "%b": "Jan", "%B": "January",
             "%y": "06", "%H": "15", "%M": "04", "%S": "05", "%a": "Mon", "%A": "Monday", "%I": "03", "%p": "PM",
             "%-I": "3", "%Z": "MST", "%z": "-0700", "%%": "%"}
_SIMPLE_FILTERS = {"relative_url": "relURL", "absolute_url": "absURL", "markdownify": "markdownify",
                   "strip_html": "plainify", "upcase": "upper", "downcase": "lower", "size": "len"}


class _Untranslatable(Exception):
    pass


def _split_pipes(expr: str) -> list[str]:
    parts, cur, quote = [], [], ""
    for ch in expr:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "|":
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    parts.append("".join(cur).strip())
    return parts


def _go_literal(text: str) -> str | None:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" and '"' not in text[1:-1] and "\\" not in text:
        return f'"{text[1:-1]}"'
    if re.fullmatch(r"-?\d+(\.\d+)?", text) or text in ("true", "false"):
        return text
    if text in ("nil", "null"):
        return "nil"
    return None


def _strftime_to_go(fmt: str) -> str:
    out, i = [], 0
    while i < len(fmt):
        two = fmt[i:i + 3] if fmt[i:i + 2] == "%-" else fmt[i:i + 2]
        if fmt[i] == "%":
            if two not in _STRFTIME:
                raise _Untranslatable(fmt)
            out.append(_STRFTIME[two])
            i += len(two)
        else:
            if fmt[i].isdigit() or fmt[i:i + 3] in ("Jan", "Mon", "MST", "PM"):
                raise _Untranslatable(fmt)  # Go would read it as part of the layout
            out.append(fmt[i])
            i += 1
    return "".join(out)


class _HugoTemplate:
    """One page's Liquid as a Go template (see :func:`hugo_template`)."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, str]] = []  # (Liquid variable, "post" | "data")
        self.assigned: dict[str, bool] = {}  # assigned variable → whether it holds posts
        self.blocks: list[str] = []
        self.data = False

    def var(self, path: str) -> str:
        names = path.split(".")
        for part in names:
            if not _IDENT.match(part):
                raise _Untranslatable(path)
        head, rest = names[0], names[1:]
        kind = next((k for v, k in reversed(self.scopes) if v == head), None)
        if kind == "post":
            if len(rest) != 1:
                raise _Untranslatable(path)
            field = _POST_FIELDS.get(rest[0])
            return f"${head}.{field}" if field else f'(index ${head}.Params "{rest[0]}")'
        if kind == "data" or head in self.assigned:
            out = f"${head}"
        elif head == "site" and rest[:1] == ["data"] and len(rest) > 1:
            self.data = True
            out, rest = "site.Data", rest[1:]
        elif head == "site" and rest == ["title"]:
            return "site.Title"
        elif head == "page" and rest == ["title"]:
            return "$.Page.Title"
        else:
            raise _Untranslatable(path)
        for part in rest:
            out = f"{out}.{part}" if re.fullmatch(r"[A-Za-z_]\w*", part) else f'(index {out} "{part}")'
        return out

    def value(self, expr: str) -> str:
        lit = _go_literal(expr)
        return lit if lit is not None else self.var(expr.strip())

    def output(self, expr: str) -> str:
        parts = _split_pipes(expr)
        out = self.value(parts[0])
        for f in parts[1:]:
            name, _, arg = f.partition(":")
            name, arg = name.strip(), arg.strip()
            if name == "date" and _go_literal(arg) and _go_literal(arg).startswith('"'):
                out = f'time.Format "{_strftime_to_go(arg[1:-1])}" {out}'
            elif name in _SIMPLE_FILTERS and not arg:
                out = f"{_SIMPLE_FILTERS[name]} ({out})" if " " in out else f"{_SIMPLE_FILTERS[name]} {out}"
            elif name in ("escape", "xml_escape", "escape_once") and not arg:
                continue  # Go's template escapes its output once, as the filter did
            elif name == "prepend" and re.fullmatch(r"site\.baseurl", arg):
                continue  # site-relative paths in the new site
            else:
                raise _Untranslatable(f)
        return out

    def source(self, expr: str) -> str:
        """The collection of a ``for`` or an ``assign``: posts, site data, a variable, with
        ``sort``/``reverse``/``where``."""
        parts = _split_pipes(expr)
        base = parts[0].strip()
        out = 'where site.RegularPages "Section" "posts"' if base == "site.posts" else self.var(base)
        kind = "post" if base == "site.posts" or self.assigned.get(base) else "data"
        sort: list[str] | None = None
        for f in parts[1:]:
            name, _, arg = f.partition(":")
            name, args = name.strip(), [a.strip() for a in arg.split(",")] if arg.strip() else []
            if name == "sort" and len(args) == 1 and _go_literal(args[0]) and kind == "data":
                if sort is not None:
                    raise _Untranslatable(f)
                sort = [_go_literal(args[0]), '"asc"']
            elif name == "reverse" and not args and sort is not None:
                sort[1] = '"desc"' if sort[1] == '"asc"' else '"asc"'
            elif name == "where" and len(args) == 2 and all(_go_literal(a) for a in args) and kind == "data" \
                    and sort is None:
                out = f"where ({out}) {_go_literal(args[0])} {_go_literal(args[1])}"
            else:
                raise _Untranslatable(f)
        if sort is not None:
            out = f"sort ({out}) {sort[0]} {sort[1]}"
        return f"({out})", kind

    def condition(self, cond: str) -> str:
        m = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", cond)
        if m:
            op = "eq" if m.group(2) == "==" else "ne"
            return f"{op} ({self.value(m.group(1))}) ({self.value(m.group(3))})"
        if re.search(r"\s(and|or|contains)\s|[<>]", cond):
            raise _Untranslatable(cond)
        return self.value(cond)

    def tag(self, body: str) -> str:
        words = body.split(None, 1)
        name, rest = (words[0], words[1] if len(words) > 1 else "") if words else ("", "")
        if name == "for":
            m = re.fullmatch(r"([A-Za-z_]\w*)\s+in\s+(.+?)(?:\s+limit\s*:\s*(\d+))?\s*", rest, re.S)
            if not m or "reversed" in m.group(2) or "offset" in m.group(2):
                raise _Untranslatable(body)
            src, kind = self.source(m.group(2))
            if m.group(3):
                src = f"(first {m.group(3)} {src})"
            self.scopes.append((m.group(1), kind))
            self.blocks.append("for")
            return f"range ${m.group(1)} := {src}"
        if name in ("if", "unless"):
            self.blocks.append(name)
            cond = self.condition(rest)
            return f"if {cond}" if name == "if" else f"if not ({cond})"
        if name == "elsif" and self.blocks[-1:] == ["if"]:
            return f"else if {self.condition(rest)}"
        if name == "else" and self.blocks[-1:] in (["if"], ["unless"]) and not rest.strip():
            return "else"
        if name in ("endif", "endunless", "endfor") and self.blocks and not rest.strip():
            want = {"endif": "if", "endunless": "unless", "endfor": "for"}[name]
            if self.blocks.pop() != want:
                raise _Untranslatable(body)
            if want == "for":
                self.scopes.pop()
            return "end"
        if name == "assign" and not self.blocks:
            m = re.fullmatch(r"([A-Za-z_]\w*)\s*=\s*(.+?)\s*", rest, re.S)
            if not m:
                raise _Untranslatable(body)
            src, kind = self.source(m.group(2))
            self.assigned[m.group(1)] = kind == "post"
            return f"${m.group(1)} := {src}"
        raise _Untranslatable(body)


def hugo_template(text: str) -> tuple[str, bool] | None:
    """A page body whose Liquid builds it from the site's posts or data, written as the Go
    template of a Hugo shortcode that does the same: ``{% for post in site.posts limit: 5 %}``
    → ``{{ range $post := first 5 (where site.RegularPages "Section" "posts") }}``,
    ``post.title``/``url``/``date``/``excerpt`` → ``.Title``/``.RelPermalink``/``.Date``/
    ``.Summary`` (another field: its param), ``site.data.x`` → ``site.Data.x``, ``assign`` of
    a collection with ``sort``/``reverse``/``where``, ``if``/``unless``/``elsif``/``else`` on a
    value or ``==``/``!=``, the filters ``date`` (strftime → Go layout), ``relative_url``,
    ``absolute_url``, ``markdownify``, ``strip_html``, ``upcase``, ``downcase``, ``size``
    (``escape`` and ``prepend: site.baseurl`` dropped: Go escapes once, paths are
    site-relative). Returns (template, uses site data), or None when the body holds no loop
    or any Liquid outside that subset (the page then keeps what Jekyll rendered, or comments)."""
    if "{%" not in text or not re.search(r"\{%-?\s*for\b", text):
        return None
    t = _HugoTemplate()
    out: list[str] = []
    pos = 0
    try:
        for m in _LIQUID_TOKEN.finditer(text):
            literal = text[pos:m.start()]
            if "{{" in literal or "{%" in literal or "}}" in literal:
                raise _Untranslatable(literal)
            out.append(literal)
            pos = m.end()
            if m.group(2) is not None:
                left, body, right = m.group(1), m.group(2), m.group(3)
                action = t.tag(body.strip())
            else:
                left, body, right = m.group(4), m.group(5), m.group(6)
                action = t.output(body.strip())
            out.append(f"{{{{{'-' if left else ''} {action} {'-' if right else ''}}}}}")
        rest = text[pos:]
        if "{{" in rest or "{%" in rest or t.blocks:
            raise _Untranslatable(rest)
        out.append(rest)
    except (_Untranslatable, IndexError):
        return None
    return "".join(out), t.data
