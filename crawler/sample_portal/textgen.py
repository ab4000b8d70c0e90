"""Deterministic generator of Chinese government news articles from the topic templates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from .specs import Block
from .topics import CLOSINGS, FILLERS, LEADS, TOPICS, Topic
from .vocab import GBK_ONLY_GIVEN, GIVEN, POSTS_DEPT, POSTS_PROVINCE, SURNAMES

MAX_PARAGRAPH = 250
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Scope:
    """Who an article is about: the region or department and the places it may mention."""

    province: str
    region: str
    region_short: str
    counties: tuple[str, ...]
    department: str
    posts: tuple[str, ...]
    gbk_names: bool = False


@dataclass(frozen=True)
class Draft:
    """A generated article before it is placed on a portal."""

    title: str
    kicker: str | None
    blocks: tuple[Block, ...]
    topic: Topic


class _Slots(dict):
    """Fills template slots, drawing a fresh value for each occurrence."""

    def __init__(self, rng: random.Random, scope: Scope, topic: Topic, when: datetime) -> None:
        super().__init__()
        self.rng = rng
        self.scope = scope
        self.topic = topic
        self.when = when

    def __missing__(self, key: str) -> str:
        rng, scope = self.rng, self.scope
        makers = {
            "R": lambda: scope.region,
            "r": lambda: scope.region_short,
            "C": lambda: rng.choice(scope.counties),
            "O": lambda: rng.choice(scope.counties),
            "D": lambda: scope.department,
            "N": lambda: person(rng, scope),
            "T": lambda: self.topic.name,
            "p": lambda: scope.province,
            "n": lambda: str(rng.randint(3, 380)),
            "b": lambda: f"{rng.randint(1, 980)}.{rng.randint(1, 9)}",
            "k": lambda: str(rng.randrange(2600, 8800, 100)),
            "c": lambda: str(rng.randint(2, 30)),
            "x": lambda: f"{rng.randint(85, 99)}.{rng.randint(1, 9)}",
            "g": lambda: f"{rng.randint(1, 16)}.{rng.randint(1, 9)}",
            "s": lambda: f"{rng.randint(1, 5)}.{rng.randint(1, 9)}",
            "m": lambda: str(self.when.month),
            "d": lambda: str(self.when.day),
            "y": lambda: str(self.when.year),
        }
        return makers[key]()


def person_name(rng: random.Random, gbk: bool = False) -> str:
    """A plausible Chinese name; with `gbk`, one using characters outside GB2312."""
    given = GBK_ONLY_GIVEN if gbk else GIVEN
    return rng.choice(SURNAMES) + rng.choice(given)


def person(rng: random.Random, scope: Scope) -> str:
    """An official with post, e.g. 曲靖市市长王建国."""
    return rng.choice(scope.posts) + person_name(rng, scope.gbk_names)


def fill(template: str, slots: _Slots) -> str:
    """Fill the slots of one template."""
    return template.format_map(slots)


def _paragraph(rng: random.Random, pool: list[str], slots: _Slots) -> str:
    target = rng.randint(50, 170)
    text = ""
    while pool:
        sentence = fill(pool.pop(), slots)
        if text and len(text) + len(sentence) > MAX_PARAGRAPH:
            pool.append(sentence)
            break
        text += sentence
        if len(text) >= target:
            break
    return text


def _quote(rng: random.Random, topic: Topic, slots: _Slots) -> str:
    said = fill(rng.choice(topic.quotes), slots)
    if rng.random() < 0.5:
        return f"“{said}”{fill('{N}', slots)}说。"
    return f"{fill('{N}', slots)}在接受采访时说：“{said}”"


def _table(rng: random.Random, topic: Topic, slots: _Slots, year: int) -> list[Block]:
    rows: list[tuple[str, ...]] = [("指标", "单位", f"{year}年目标", "完成值", "同比增长（%）")]
    units = ("亿元", "万人", "%", "个")
    for metric in topic.metrics:
        rows.append((metric, rng.choice(units), fill("{b}", slots), fill("{b}", slots),
                     fill("{s}", slots)))
    return [
        Block("p", f"表1 {slots.scope.region}{topic.name}主要指标完成情况"),
        Block("table", rows=tuple(rows)),
    ]


def generate(rng: random.Random, scope: Scope, when: datetime, topic: Topic | None = None,
             image_src: str = "") -> Draft:
    """Generate one article; `image_src` (if given) is used for an in-body picture."""
    topic = topic or rng.choice(TOPICS)
    slots = _Slots(rng, scope, topic, when)
    title = fill(rng.choice(topic.titles), slots)
    kicker = fill(rng.choice(topic.kickers), slots) if rng.random() < 0.2 else None
    pool = list(topic.sentences) + list(FILLERS)
    rng.shuffle(pool)
    n_paragraphs = rng.randint(5, 14)
    subheads = list(topic.subheads)
    rng.shuffle(subheads)
    use_subheads = n_paragraphs >= 8 and rng.random() < 0.4
    numbered = rng.random() < 0.5
    lead = fill(rng.choice(LEADS), slots)
    follow = fill(pool.pop(), slots)
    if len(lead) + len(follow) <= MAX_PARAGRAPH:
        lead += follow
    blocks: list[Block] = [Block("p", lead)]
    for index in range(n_paragraphs - 2):
        if use_subheads and index % 3 == 0 and subheads:
            head = subheads.pop()
            if numbered:
                head = f"{NUMERALS[index // 3]}、{head}"
            blocks.append(Block("subhead", head))
        if rng.random() < 0.15:
            blocks.append(Block("p", _quote(rng, topic, slots)))
        elif pool:
            blocks.append(Block("p", _paragraph(rng, pool, slots)))
    if image_src:
        caption = ""
        if rng.random() < 0.7:
            caption = fill("图为{C}" + topic.name + "工作现场。", slots)
            if rng.random() < 0.5:
                caption += f"（记者 {person_name(rng, scope.gbk_names)} 摄）"
        blocks.insert(1, Block("image", caption, src=image_src))
    if rng.random() < 0.08:
        blocks[len(blocks) // 2: len(blocks) // 2] = _table(rng, topic, slots, when.year)
    if rng.random() < 0.1:
        first, second = (fill(c, slots) for c in rng.sample(CLOSINGS, 2))
        blocks.append(Block("lines", lines=(first, second)))
    else:
        blocks.append(Block("p", fill(rng.choice(CLOSINGS), slots)))
    blocks = [b for b in blocks if b.kind != "p" or b.text]
    return Draft(title=title, kicker=kicker, blocks=tuple(blocks), topic=topic)


def province_scope(province: str, prefectures: dict[str, tuple[str, tuple[str, ...], str]],
                   region: str = "全省", department: str = "省政府办公厅") -> Scope:
    """A province-wide scope: counties named with their prefecture."""
    counties = tuple(full + county for full, cs, _ in prefectures.values() for county in cs)
    return Scope(province=province, region=region, region_short=province,
                 counties=counties, department=department, posts=tuple(POSTS_PROVINCE))


def department_scope(province: str, prefectures: dict[str, tuple[str, tuple[str, ...], str]],
                     short: str) -> Scope:
    """A scope for a provincial department's news."""
    base = province_scope(province, prefectures, department=short)
    posts = tuple(short + post for post in POSTS_DEPT)
    return Scope(province=province, region="全省", region_short=short, counties=base.counties,
                 department=short, posts=posts)


def local_scope(province: str, full: str, short: str, counties: tuple[str, ...],
                gbk_names: bool = False) -> Scope:
    """A scope for one prefecture or city."""
    kind = full[-1]
    posts = (f"{short}{kind}委书记", f"{full}{kind}长", f"{full}副{kind}长",
             f"{short}{kind}委副书记")
    return Scope(province=province, region=full, region_short=short, counties=counties,
                 department=f"{full}人民政府", posts=posts, gbk_names=gbk_names)
