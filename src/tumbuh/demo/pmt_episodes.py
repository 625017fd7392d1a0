"""Enrolling the demo city's children in PMT lokal, feeding them, and closing their
episodes (docs/demo-city.md, "PMT lokal").

Month by month, from the month's lists (the same ``referral_marks`` the cases and pages
read, refer and counsel lists together) and :func:`tumbuh.growth.pmt.eligibility`: an
eligible child who is not being fed is enrolled with a chance that depends on its
indication only (:data:`ENROL_SHARE`: gizi kurang most, T least), at a kitchen of its
kelurahan, else one that serves its whole kecamatan, else now and then a Dapur Umum PKK of
a neighbouring kelurahan; most severe first while the kitchen has room. Nothing about the
child's growth or its family's attendance decides who is fed, so fed and unfed children of
the same indication, month, age, sex and baseline z-score differ only by the planted
effect (and chance).

The episode starts 2 to 10 days after the weighing that listed the child (its baseline),
on a day the kitchen cooks and a funding line pays for; the planned days are those of the
rule version of the start year, counted as days the kitchen cooks (the juknis counts *hari
makan anak*). Each child comes on a share of those days drawn from beta(10, 1.8) (mean
85 %, :data:`ADHERENCE_BETA`); 7 % drop out, 2 % move away and 1.5 % fall ill and are
referred part-way. A child on the month's list with gizi buruk while being fed is referred
that day. The others end at their first weighing after the last planned day (within
:data:`FINAL_WEIGHING_DAYS`), judged by the exit rule of their version at the episode's last
checkpoint as the episode page reads it (:mod:`tumbuh.growth.pmt_episodes`: weeks 2, 4 and
8, ordinary measurements up to the end); a child not weighed by then counts as dropped out.
Nothing is dated after the city's last measurement: an episode still running or waiting
for its final weighing then stays open.
"""

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

import numpy as np

from tumbuh.db.surveillance.referrals import ReferralMark
from tumbuh.demo.pmt_kitchens import FundingLine, KitchenPlan
from tumbuh.demo.pmt_weights import Ledger
from tumbuh.growth.ages import completed_months
from tumbuh.growth.pmt import Checkpoint, EpisodeExit, Indication, PmtRules, eligibility, rules_for
from tumbuh.growth.pmt_episodes import checkpoint_rows, completed_exit, last_checkpoint
from tumbuh.growth.referrals import ReferralReason

ENROL_SHARE = {  # of the eligible children not being fed (the kitchens' room permitting)
    Indication.WASTED: 0.5,
    Indication.UNDERWEIGHT: 0.4,
    Indication.FALTERING: 0.15,
}
NEIGHBOUR_SHARE = 0.3  # families who walk to the next kelurahan's kitchen
ENROL_DELAY_DAYS = (2, 10)
ADHERENCE_BETA = (10.0, 1.8)
DROP_OUT, MOVED, ILL = 0.07, 0.02, 0.015
DROP_OUT_NOTICE_DAYS = 14  # a kitchen gives a child up after two weeks away
FINAL_WEIGHING_DAYS = 62  # the next two posyandu days after the last planned day
FAR = date.max
NOTES = {
    "dropped": "Tidak datang lagi ke dapur",
    "lost": "Tidak ditimbang setelah PMT selesai",
    "moved": "Pindah domisili",
    "ill": "Sakit, dirujuk ke puskesmas",
    "severe": "Gizi buruk pada penimbangan, dirujuk ke puskesmas",
}


class Fate(Enum):
    """What will happen to an episode, drawn at enrolment."""

    COMPLETE = "complete"
    DROPPED = "dropped"
    MOVED = "moved"
    ILL = "ill"


_FATE_EXIT = {
    Fate.DROPPED: EpisodeExit.DROPPED_OUT,
    Fate.MOVED: EpisodeExit.MOVED,
    Fate.ILL: EpisodeExit.REFERRED,
}


@dataclass
class Episode:
    """One child fed at one kitchen, as the generator follows it."""

    id: int
    child: int  # child id
    kitchen: KitchenPlan
    indication: Indication
    rules: PmtRules
    started_on: date
    funding: FundingLine
    baseline: int  # ledger row (measurement id - 1)
    window: list[date]  # the planned days the kitchen cooks
    served: list[date]
    fate: Fate
    fate_on: date | None
    cycle: int
    ended_on: date | None = None
    exit: EpisodeExit | None = None
    note: str | None = None
    checkpoint: int | None = None  # ledger row of the final weighing

    def served_before(self, day: date) -> int:
        """Servings eaten before ``day``."""
        return bisect_left(self.served, day)

    def busy_until(self) -> date:
        """The last day the child belongs to this episode (FAR: not known yet)."""
        if self.ended_on is not None:
            return self.ended_on
        return self.fate_on if self.fate_on is not None else FAR

    def close(self, day: date, exit_: EpisodeExit, note: str | None) -> None:
        """End the episode on ``day``; nothing is served after it."""
        self.ended_on, self.exit, self.note = day, exit_, note
        self.served = [s for s in self.served if s < day]


@dataclass
class Programme:
    """The kitchens, their daily load and every episode so far."""

    rng: np.random.Generator
    kitchens: list[KitchenPlan]
    ledger: Ledger
    last_day: date
    episodes: list[Episode] = field(default_factory=list)
    of_child: dict[int, list[Episode]] = field(default_factory=dict)
    pending: list[Episode] = field(default_factory=list)  # waiting for the final weighing
    load: dict[int, np.ndarray] = field(default_factory=dict)
    nearby: dict[str, tuple[list[KitchenPlan], list[KitchenPlan]]] = field(default_factory=dict)
    origin: date = date(2022, 1, 1)

    def __post_init__(self) -> None:
        days = (date(2026, 12, 31) - self.origin).days
        self.load = {k.id: np.zeros(days, dtype=np.int64) for k in self.kitchens}

    def _candidates(self, kelurahan: str) -> list[KitchenPlan]:
        """Its own kitchens, those serving its kecamatan, and sometimes a neighbour's."""
        if kelurahan not in self.nearby:
            kecamatan = kelurahan.rsplit(".", 1)[0] + "."
            own = [k for k in self.kitchens if k.kelurahan_code == kelurahan]
            wide = [k for k in self.kitchens if kelurahan in k.serves and k not in own]
            near = [
                k
                for k in self.kitchens
                if len(k.serves) == 1
                and k.kelurahan_code != kelurahan
                and k.kelurahan_code.startswith(kecamatan)
            ]
            self.nearby[kelurahan] = (own + wide, near)
        found, near = self.nearby[kelurahan]
        if near and self.rng.random() < NEIGHBOUR_SHARE:
            return [*found, near[int(self.rng.integers(0, len(near)))]]
        return found

    def _window(self, kitchen: KitchenPlan, start: date, days: int) -> list[date] | None:
        """The first ``days`` days the kitchen cooks from ``start`` (None: it closes first)."""
        closes = kitchen.closes_on
        window: list[date] = []
        day = start
        while len(window) < days:
            if closes is not None and day > closes:
                return None
            if kitchen.cooks_on(day):
                window.append(day)
            day += timedelta(days=1)
        return window

    def _start(self, kitchen: KitchenPlan, after: date) -> date | None:
        for offset in range(14):
            day = after + timedelta(days=offset)
            if day > self.last_day:
                return None
            if kitchen.cooks_on(day) and any(line.covers(day) for line in kitchen.lines):
                return day
        return None

    def _index(self, days: list[date]) -> np.ndarray:
        return np.array([(d - self.origin).days for d in days], dtype=np.int64)

    def _try(
        self, kitchen: KitchenPlan, baseline: date, indication: Indication
    ) -> tuple[date, PmtRules, list[date], FundingLine] | None:
        low, high = ENROL_DELAY_DAYS
        start = self._start(
            kitchen, baseline + timedelta(days=int(self.rng.integers(low, high + 1)))
        )
        if start is None:
            return None
        rules = rules_for(start.year)
        planned = rules.planned_days[indication]
        window = None if planned is None else self._window(kitchen, start, planned)
        if window is None:
            return None
        if int(self.load[kitchen.id][self._index(window)].max()) >= kitchen.capacity:
            return None
        lines = [line for line in kitchen.lines if line.covers(start)]
        weights = np.array([line.amount_rp for line in lines], dtype=np.float64)
        funding = lines[int(self.rng.choice(len(lines), p=weights / weights.sum()))]
        return start, rules, window, funding

    def _feed(self, window: list[date]) -> tuple[list[date], Fate, date | None]:
        """The days served, the fate and the day it ends an episode that stops early."""
        share = self.rng.beta(*ADHERENCE_BETA)
        u = self.rng.random()
        fate = (
            Fate.DROPPED
            if u < DROP_OUT
            else Fate.MOVED
            if u < DROP_OUT + MOVED
            else Fate.ILL
            if u < DROP_OUT + MOVED + ILL
            else Fate.COMPLETE
        )
        stop = len(window) if fate is Fate.COMPLETE else int(self.rng.integers(1, len(window)))
        came = self.rng.random(stop) < share
        if fate is Fate.ILL:
            came[-1] = False  # referred that day, before the meal
        served = [d for d, c in zip(window[:stop], came.tolist(), strict=True) if c]
        served = [d for d in served if d <= self.last_day]
        last = window[stop - 1]
        fate_on = {
            Fate.COMPLETE: None,
            Fate.DROPPED: last + timedelta(days=DROP_OUT_NOTICE_DAYS),
            Fate.MOVED: last + timedelta(days=int(self.rng.integers(1, 8))),
            Fate.ILL: last,
        }[fate]
        return served, fate, fate_on

    def _enrol_one(
        self, child: int, row: int, indication: Indication, kelurahan: str
    ) -> Episode | None:
        baseline = self.ledger.day[row].astype(object)
        for kitchen in self._candidates(kelurahan):
            found = self._try(kitchen, baseline, indication)
            if found is None:
                continue
            start, rules, window, funding = found
            served, fate, fate_on = self._feed(window)
            fed_until = window if fate_on is None else [d for d in window if d <= fate_on]
            self.load[kitchen.id][self._index(fed_until)] += 1
            history = self.of_child.setdefault(child, [])
            episode = Episode(
                id=len(self.episodes) + 1,
                child=child,
                kitchen=kitchen,
                indication=indication,
                rules=rules,
                started_on=start,
                funding=funding,
                baseline=row,
                window=window,
                served=served,
                fate=fate,
                fate_on=fate_on,
                cycle=len(history) + 1,
            )
            history.append(episode)
            self.episodes.append(episode)
            if fate is Fate.COMPLETE:
                self.pending.append(episode)
            return episode
        return None

    def _busy(self, child: int, day: date) -> bool:
        history = self.of_child.get(child)
        return history is not None and history[-1].busy_until() >= day

    def enrol(self, rows: dict[int, int], marks: list[ReferralMark]) -> int:
        """Enrol the month's eligible children (``rows``: child id -> its row of the
        month) who are not being fed; how many were enrolled."""
        ledger = self.ledger
        if not marks:
            return 0
        children = [m.child_id for m in marks]
        masks = [sum(r.bit for r in m.reasons) for m in marks]
        at = np.array([rows[c] for c in children], dtype=np.int64)
        born = ledger.city.people.child_birth[np.array(children) - 1]
        codes, _ = eligibility(masks, completed_months(born, ledger.day[at]))
        wanted = []
        for child, row, code in zip(children, at.tolist(), codes.tolist(), strict=True):
            if code < 0:
                continue
            indication = list(Indication)[code]
            day = ledger.day[row].astype(object)
            indicator = rules_for(day.year).exits[indication].indicator
            if self._busy(child, day) or not ledger.valid(row, indicator):
                continue
            if self.rng.random() < ENROL_SHARE[indication]:
                wanted.append((indication.code, self.rng.random(), child, row, indication))
        enrolled = 0
        places = ledger.city.places
        for _, _, child, row, indication in sorted(wanted):
            kelurahan = places.posyandu_kelurahan[int(ledger.posyandu[row]) - 1]
            enrolled += self._enrol_one(child, row, indication, kelurahan) is not None
        return enrolled

    def close_due(self, first_day: date, rows: dict[int, int], marks: list[ReferralMark]) -> None:
        """At a month's weighings: refer the children fed with gizi buruk, judge those
        whose final weighing it is, and count as dropped out those not weighed in time."""
        ledger = self.ledger
        severe = {m.child_id for m in marks if ReferralReason.SEVERE_WASTING in m.reasons}
        for child in sorted(severe):
            history = self.of_child.get(child)
            day = ledger.day[rows[child]].astype(object)
            if not history or history[-1].exit is not None:
                continue
            if history[-1].started_on < day <= history[-1].busy_until():
                history[-1].close(day, EpisodeExit.REFERRED, NOTES["severe"])
        still = []
        for episode in self.pending:
            if episode.exit is not None:
                continue
            deadline = episode.window[-1] + timedelta(days=FINAL_WEIGHING_DAYS)
            row = rows.get(episode.child)
            if row is not None and self._judge(episode, row, deadline):
                continue
            if deadline < first_day:
                episode.close(deadline, EpisodeExit.DROPPED_OUT, NOTES["lost"])
                continue
            still.append(episode)
        self.pending = still

    def _judge(self, episode: Episode, row: int, deadline: date) -> bool:
        """Close the episode at the weighing ``row`` if it is its final one: after the last
        planned day, by the deadline, and its last checkpoint (weeks 2, 4, 8 as the
        episode page reads them) decides the exit rule. Whether it was closed."""
        ledger = self.ledger
        day = ledger.day[row].astype(object)
        if not episode.window[-1] < day <= deadline:
            return False
        rows = ledger.rows_of_child(episode.child)
        start = np.datetime64(episode.started_on)
        since = (ledger.day[rows] - start).astype(np.int64)
        inside = (since > 0) & (ledger.day[rows] <= ledger.day[row])
        rows, since = rows[inside], since[inside]
        last = last_checkpoint(checkpoint_rows(since))
        if last < 0:
            return False
        indicator = episode.rules.exits[episode.indication].indicator
        base, point = episode.baseline, int(rows[last])
        at = Checkpoint(
            day=[int(since[last])],
            start_z=[ledger.zscore(base, indicator)],
            z=[ledger.zscore(point, indicator)],
            start_weight_kg=[ledger.weight[base]],
            weight_kg=[ledger.weight[point]],
        )
        exit_ = completed_exit(episode.rules, episode.indication, at)
        if exit_ is None:
            return False
        episode.close(day, exit_, None)
        episode.checkpoint = point
        return True

    def finish(self) -> None:
        """On the city's last day: close what ended by then; the rest stays open."""
        for episode in self.episodes:
            if episode.exit is not None:
                continue
            if episode.fate is not Fate.COMPLETE:
                if episode.fate_on is not None and episode.fate_on <= self.last_day:
                    episode.close(
                        episode.fate_on, _FATE_EXIT[episode.fate], NOTES[episode.fate.value]
                    )
                continue
            deadline = episode.window[-1] + timedelta(days=FINAL_WEIGHING_DAYS)
            if deadline <= self.last_day:
                episode.close(deadline, EpisodeExit.DROPPED_OUT, NOTES["lost"])
