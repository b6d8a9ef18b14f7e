"""BT606: ``:emoji:`` codes in a site that does not render them."""

from __future__ import annotations

import re
from typing import Any, Iterator

from blogtools.document import Document
from blogtools.lint.rule import Diagnostic, Edit, Fix, Rule

# The GitHub/gemoji names bloggers use most (Hugo's enableEmoji and jemoji know them all).
EMOJI = {
    "smile": "😄", "smiley": "😃", "grinning": "😀", "grin": "😁", "laughing": "😆", "satisfied": "😆",
    "sweat_smile": "😅", "joy": "😂", "rofl": "🤣", "slightly_smiling_face": "🙂", "upside_down_face": "🙃",
    "wink": "😉", "blush": "😊", "innocent": "😇", "heart_eyes": "😍", "kissing_heart": "😘", "yum": "😋",
    "stuck_out_tongue": "😛", "stuck_out_tongue_winking_eye": "😜", "thinking": "🤔", "neutral_face": "😐",
    "expressionless": "😑", "smirk": "😏", "unamused": "😒", "roll_eyes": "🙄", "grimacing": "😬",
    "relieved": "😌", "pensive": "😔", "sleepy": "😪", "sleeping": "😴", "mask": "😷", "dizzy_face": "😵",
    "exploding_head": "🤯", "sunglasses": "😎", "nerd_face": "🤓", "confused": "😕", "worried": "😟",
    "open_mouth": "😮", "astonished": "😲", "flushed": "😳", "pleading_face": "🥺", "cry": "😢", "sob": "😭",
    "scream": "😱", "disappointed": "😞", "sweat": "😓", "weary": "😩", "tired_face": "😫", "angry": "😠",
    "rage": "😡", "skull": "💀", "poop": "💩", "hankey": "💩", "ghost": "👻", "robot": "🤖", "see_no_evil": "🙈",
    "heart": "❤️", "broken_heart": "💔", "sparkling_heart": "💖", "100": "💯", "boom": "💥", "collision": "💥",
    "sparkles": "✨", "star": "⭐", "star2": "🌟", "zap": "⚡", "fire": "🔥", "tada": "🎉", "confetti_ball": "🎊",
    "gift": "🎁", "trophy": "🏆", "medal_sports": "🏅", "wave": "👋", "ok_hand": "👌", "v": "✌️",
    "point_right": "👉", "point_left": "👈", "point_up": "☝️", "point_down": "👇", "+1": "👍", "thumbsup": "👍",
    "-1": "👎", "thumbsdown": "👎", "clap": "👏", "raised_hands": "🙌", "pray": "🙏", "muscle": "💪",
    "eyes": "👀", "bulb": "💡", "memo": "📝", "pencil": "📝", "pencil2": "✏️", "book": "📖", "books": "📚",
    "bookmark": "🔖", "link": "🔗", "paperclip": "📎", "pushpin": "📌", "calendar": "📆", "date": "📅",
    "chart_with_upwards_trend": "📈", "chart_with_downwards_trend": "📉", "bar_chart": "📊", "clipboard": "📋",
    "computer": "💻", "desktop_computer": "🖥️", "keyboard": "⌨️", "iphone": "📱", "camera": "📷",
    "movie_camera": "🎥", "microphone": "🎤", "headphones": "🎧", "loudspeaker": "📢", "mega": "📣",
    "bell": "🔔", "mag": "🔍", "lock": "🔒", "unlock": "🔓", "key": "🔑", "hammer": "🔨", "wrench": "🔧",
    "gear": "⚙️", "package": "📦", "rocket": "🚀", "airplane": "✈️", "warning": "⚠️", "no_entry": "⛔",
    "x": "❌", "heavy_check_mark": "✔️", "white_check_mark": "✅", "ballot_box_with_check": "☑️",
    "question": "❓", "exclamation": "❗", "heavy_exclamation_mark": "❗", "bangbang": "‼️", "arrow_right": "➡️",
    "arrow_left": "⬅️", "arrow_up": "⬆️", "arrow_down": "⬇️", "recycle": "♻️", "beer": "🍺", "beers": "🍻",
    "coffee": "☕", "tea": "🍵", "sushi": "🍣", "ramen": "🍜", "pizza": "🍕", "cake": "🍰", "cat": "🐱",
    "dog": "🐶", "snake": "🐍", "whale": "🐳", "bug": "🐛", "octocat": "🐙", "sunny": "☀️", "cloud": "☁️",
    "umbrella": "☂️", "snowflake": "❄️", "cherry_blossom": "🌸", "seedling": "🌱", "earth_asia": "🌏",
    "jp": "🇯🇵", "hourglass": "⌛", "alarm_clock": "⏰", "stopwatch": "⏱️", "moneybag": "💰", "yen": "💴",
    "speech_balloon": "💬", "thought_balloon": "💭", "zzz": "💤", "construction": "🚧", "new": "🆕",
    "ok": "🆗", "sos": "🆘", "checkered_flag": "🏁", "triangular_flag_on_post": "🚩", "dart": "🎯",
    "art": "🎨", "musical_note": "🎵", "notes": "🎶", "video_game": "🎮", "game_die": "🎲",
}
# The look-behind sits after the first ":" (it checks the same character) so that the pattern
# starts with a literal and the regex engine jumps from colon to colon: with the look-behind
# first it is tried at every position of the body, ~20x slower on a post.
_CODE = re.compile(r":(?<![\w:]:)([a-z0-9_+-]{1,40}):(?![\w:])")


class EmojiCodeNotRendered(Rule):
    """``:emoji:`` code in a site that prints it as text.

    What it does
        Finds emoji codes (``:tada:``, ``:+1:``; the common GitHub names) in the text of a
        Hugo site without ``enableEmoji = true``, or a Jekyll site without the ``jemoji``
        plugin. Code spans, code blocks, links' URLs and HTML are skipped, and so are
        look-alikes such as times (``12:30:45``).

    Why it matters
        The post shows ``:tada:`` instead of 🎉. Posts written on GitHub, Qiita or
        Slack-flavoured editors, where the codes render, carry them over.

    Example
        ::

            無事に開催できました :tada:

    Use instead
        ::

            無事に開催できました 🎉

        or set ``enableEmoji = true`` in the Hugo config.

    Fix safety
        Unsafe: writing the emoji itself shows what the generator would show with emoji
        enabled, but the visible text changes, and some sites prefer turning the option
        on instead.
    """

    code = "BT606"
    name = "emoji-code-not-rendered"
    summary = ":emoji: code in a site without enableEmoji (Hugo) or jemoji (Jekyll)"
    severity = "warning"
    fixable = "unsafe"

    def check(self, doc: Document, site: Any) -> Iterator[Diagnostic]:
        if getattr(site, "generator", "") not in ("hugo", "jekyll") \
                or not any(m.group(1) in EMOJI for m in _CODE.finditer(doc.text, doc.body_start)) \
                or site.profile.emoji_enabled or not site.is_content(doc.abspath):
            return
        skip = sorted((n.start, n.end) for n in doc.nodes("code_span", "link", "image", "autolink", "html_inline",
                                                          "shortcode", "liquid"))
        for leaf in doc.body.leaves:
            if ":" not in leaf.text:
                continue
            for m in _CODE.finditer(leaf.text):
                name = m.group(1)
                if name not in EMOJI:
                    continue
                a, b = leaf.to_abs(m.start()), leaf.to_abs(m.end())
                if doc.text[a:b] != m.group(0) or _in_url(skip, doc, a):
                    continue
                what = "enableEmoji is not set" if site.generator == "hugo" else "the jemoji plugin is not enabled"
                yield self.diagnostic(doc, a, b, f"emoji code {m.group(0)} is printed as text ({what}): write "
                                      f"{EMOJI[name]} itself", Fix((Edit(a, b, EMOJI[name]),), safe=False,
                                                                    description=f"write {EMOJI[name]}"))


def _in_url(spans: list[tuple[int, int]], doc: Document, at: int) -> bool:
    for a, b in spans:
        if a > at:
            break
        if a <= at < b:
            node_text = doc.text[a:b]
            # inside a link, only the label is text; the URL part is not
            if node_text.startswith(("[", "![")):
                close = node_text.find("](")
                return close < 0 or at >= a + close
            return True
    return False
