"""jieba's default cut (``jieba.lcut(text)``: accurate mode, HMM on), word for word, at less
processor time.

The cutter reads jieba's own loaded dictionary (``FREQ``, ``total``, words added with
``jieba.add_word`` included) and its HMM tables (``jieba.finalseg``), and does what
``Tokenizer.cut`` does: split the text into runs jieba cuts (Han characters, letters, digits,
``+#&._%-``) and the rest (each character a word, whitespace kept as it is); find the most
probable route through each run's dictionary words; hand runs of single characters that are
not a dictionary word to the HMM. It differs only in how: one right-to-left pass builds the
word graph and the route together, each word's log probability is computed once, the HMM keeps
back-pointers instead of copying paths, and short runs seen before are not cut again (a
bounded memo). The arithmetic and the tie-breaking are jieba's, so the words are the same;
tests compare it with ``jieba.lcut`` on the corpora and on random hostile strings.

The cutter follows the dictionary: when its total, its identity, the words forced apart or
their frequencies change (every change ``add_word``, ``del_word`` and ``load_userdict`` make),
what it derived from them is dropped.
"""

from __future__ import annotations

import re
from math import log
from typing import Any

#: jieba's own patterns (``jieba.re_han_default``, ``jieba.re_skip_default``).
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_RE_SKIP = re.compile("(\r\n|\\s)", re.U)
#: Runs of at most this many characters are remembered once cut.
MEMO_CHARS = 24
#: Runs remembered at most; the memo is emptied when full.
MEMO_RUNS = 100_000
#: Runs of single characters the HMM cut (of at most MEMO_CHARS), remembered at most.
HMM_RUNS = 50_000
#: The value of a dictionary entry that only begins longer words.
PREFIX = 1.0
_NONE = float("-inf")


class WordCutter:
    """``cut(text)`` is ``jieba.lcut(text)`` (jieba's default tokenizer, already loaded)."""

    def __init__(self, jieba_tokenizer: Any = None) -> None:
        import jieba
        from jieba import finalseg

        self._dt = jieba_tokenizer if jieba_tokenizer is not None else jieba.dt
        self._finalseg = finalseg
        self._hmm = _Hmm(finalseg)
        self._freq: dict[str, int] = {}
        self._total = -1
        self._forced: dict[str, int | None] = {}
        self._sync()

    def _sync(self) -> None:
        dt = self._dt
        dt.check_initialized()
        self._freq = dt.FREQ
        self._total = dt.total
        # the words forced apart, with their frequencies: del_word of a word deleted before
        # and added again changes neither the total nor that set, only the word's frequency
        self._forced = {w: dt.FREQ.get(w) for w in self._finalseg.Force_Split_Words}
        logtotal = self._logtotal = log(dt.total)
        # each dictionary entry's log probability, as jieba's calc computes it; PREFIX for the
        # entries (of frequency 0) that only begin longer words
        self._logp = {w: (log(f) - logtotal if f else PREFIX) for w, f in dt.FREQ.items()}
        self._memo: dict[str, tuple[str, ...]] = {}
        self._hmm_memo: dict[str, tuple[str, ...]] = {}

    def _current(self) -> None:
        dt = self._dt
        forced = self._forced
        if (dt.total != self._total or dt.FREQ is not self._freq
                or len(self._finalseg.Force_Split_Words) != len(forced)
                or (forced and any(dt.FREQ.get(w) != f for w, f in forced.items()))):
            self._sync()

    def cut(self, text: str) -> list[str]:
        """jieba's words of ``text``, in order (their concatenation is ``text``)."""
        self._current()
        out: list[str] = []
        blocks = _RE_HAN.split(text)
        memo = self._memo
        for i, block in enumerate(blocks):
            if not block:
                continue
            if i & 1:  # a run jieba cuts (split() puts the captured runs at odd places)
                words = memo.get(block)
                if words is None:
                    cut = self._cut_run(block)
                    if len(block) > MEMO_CHARS:
                        out += cut
                        continue
                    if len(memo) >= MEMO_RUNS:
                        memo.clear()
                    # tuples of strings: the garbage collector stops looking at them
                    words = memo[block] = tuple(cut)
                out += words
            elif _RE_SKIP.search(block) is None:
                out += block  # each character a word
            else:
                for piece in _RE_SKIP.split(block):
                    if _RE_SKIP.match(piece):
                        out.append(piece)
                    else:
                        out += piece
        return out

    def _route(self, run: str) -> list[int]:
        """For each place in ``run``, where the most probable word starting there ends
        (exclusive): jieba's ``get_DAG`` and ``calc`` in one pass from the right."""
        logp = self._logp
        n = len(run)
        prob = [0.0] * (n + 1)
        end = list(range(1, n + 2))
        single = 0.0 - self._logtotal  # log(1) - log(total): a character that is no word
        for k in range(n - 1, -1, -1):
            best = _NONE
            i = k + 1
            p = logp.get(run[k])
            while p is not None:
                if p != PREFIX:  # a word (log probabilities are at most 0: log(f / total))
                    p += prob[i]
                    # max over (probability, end) pairs: a tie goes to the longer word
                    if p >= best:
                        best = p
                        end[k] = i
                if i == n:
                    break
                i += 1
                p = logp.get(run[k:i])
            prob[k] = best if best != _NONE else single + prob[k + 1]
        return end

    def _cut_run(self, run: str) -> list[str]:
        """jieba's ``__cut_DAG`` of one run."""
        end = self._route(run)
        out: list[str] = []
        n = len(run)
        x = 0
        held = -1  # where the characters cut alone since the last word began
        while x < n:
            y = end[x]
            if y - x == 1:
                if held < 0:
                    held = x
            else:
                if held >= 0:
                    self._singles(run[held:x], out)
                    held = -1
                out.append(run[x:y])
            x = y
        if held >= 0:
            self._singles(run[held:], out)
        return out

    def _singles(self, buf: str, out: list[str]) -> None:
        """Characters the route cut one by one: the HMM's words unless they make a word."""
        if len(buf) == 1:
            out.append(buf)
        elif not self._freq.get(buf):
            words = self._hmm_memo.get(buf)
            if words is None:
                cut: list[str] = []
                self._hmm.cut(buf, cut)
                if len(buf) > MEMO_CHARS:  # long ones are seldom seen again: the memo stays small
                    out += cut
                    return
                if len(self._hmm_memo) >= HMM_RUNS:
                    self._hmm_memo.clear()
                words = self._hmm_memo[buf] = tuple(cut)
            out += words
        else:
            out += buf


class _Hmm:
    """jieba.finalseg's cut (its viterbi over B/M/E/S), with back-pointers."""

    def __init__(self, finalseg: Any) -> None:
        self._finalseg = finalseg
        self._re_han = finalseg.re_han
        self._re_skip = finalseg.re_skip
        low = finalseg.MIN_FLOAT
        emit = finalseg.emit_P
        e_b, e_m, e_s, e_e = emit["B"], emit["M"], emit["S"], emit["E"]
        # each character's emission log probabilities in the states B, M, S, E
        self._emit = {c: (e_b.get(c, low), e_m.get(c, low), e_s.get(c, low), e_e.get(c, low))
                      for c in set(e_b) | set(e_m) | set(e_s) | set(e_e)}
        self._unseen = (low, low, low, low)
        trans = finalseg.trans_P
        self._trans = tuple(trans[a].get(b, low) for a, b in ("EB", "SB", "MM", "BM", "SS", "ES",
                                                             "BE", "ME"))
        self._start = tuple(finalseg.start_P[y] for y in "BMSE")

    def cut(self, text: str, out: list[str]) -> None:
        forced = self._finalseg.Force_Split_Words
        if self._re_han.fullmatch(text):  # Han characters alone (most often): one block
            for word in self._words(text):
                if word not in forced:
                    out.append(word)
                else:
                    out += word
            return
        for block in self._re_han.split(text):
            if self._re_han.match(block):
                for word in self._words(block):
                    if word not in forced:
                        out.append(word)
                    else:
                        out += word
            else:
                out += [x for x in self._re_skip.split(block) if x]

    def _words(self, text: str) -> list[str]:
        states = self._viterbi(text)
        words: list[str] = []
        begin = nexti = 0
        for i, state in enumerate(states):
            if state == "B":
                begin = i
            elif state == "E":
                words.append(text[begin:i + 1])
                nexti = i + 1
            elif state == "S":
                words.append(text[i])
                nexti = i + 1
        if nexti < len(text):
            words.append(text[nexti:])
        return words

    def _viterbi(self, obs: str) -> list[str]:
        """The most probable states, as ``finalseg.viterbi(obs, 'BMES', ...)`` finds them: the
        same sums in the same order, ties broken as its max over (probability, state) does."""
        emit, unseen = self._emit, self._unseen
        t_eb, t_sb, t_mm, t_bm, t_ss, t_es, t_be, t_me = self._trans
        e_b, e_m, e_s, e_e = emit.get(obs[0], unseen)
        s_b, s_m, s_s, s_e = self._start
        v_b, v_m, v_s, v_e = s_b + e_b, s_m + e_m, s_s + e_s, s_e + e_e
        back: list[tuple[str, str, str, str]] = []
        for c in obs[1:]:
            e_b, e_m, e_s, e_e = emit.get(c, unseen)
            p1, p2 = v_e + t_eb + e_b, v_s + t_sb + e_b  # B from E or S; a tie: S
            n_b, f_b = (p2, "S") if p2 >= p1 else (p1, "E")
            p1, p2 = v_m + t_mm + e_m, v_b + t_bm + e_m  # M from M or B; a tie: M
            n_m, f_m = (p1, "M") if p1 >= p2 else (p2, "B")
            p1, p2 = v_s + t_ss + e_s, v_e + t_es + e_s  # S from S or E; a tie: S
            n_s, f_s = (p1, "S") if p1 >= p2 else (p2, "E")
            p1, p2 = v_b + t_be + e_e, v_m + t_me + e_e  # E from B or M; a tie: M
            n_e, f_e = (p2, "M") if p2 >= p1 else (p1, "B")
            back.append((f_b, f_m, f_s, f_e))
            v_b, v_m, v_s, v_e = n_b, n_m, n_s, n_e
        state = "S" if v_s >= v_e else "E"  # the last state is E or S; a tie: S
        states = [state]
        index = {"B": 0, "M": 1, "S": 2, "E": 3}
        for pointers in reversed(back):
            state = pointers[index[state]]
            states.append(state)
        states.reverse()
        return states
