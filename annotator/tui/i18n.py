"""The coding screen's words in Chinese and English."""

from __future__ import annotations

from typing import Any

# key: (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    "title": ("编码", "coding"),
    "lead": ("主编码员", "lead"),
    "zh_text": ("中文", "Chinese"),
    "en_text": ("英文", "English"),
    "no_text": ("（无）", "(none)"),
    "done_overall": ("已完成 {done}/{total}", "done {done}/{total}"),
    "done_doc": ("本文档 {done}/{total}", "this document {done}/{total}"),
    "suggestions": ("建议：", "Suggested:"),
    "suggestions_loading": ("建议：加载中…", "Suggested: loading…"),
    "suggestions_none": ("建议：无", "Suggested: none"),
    "enter_applies": ("回车应用", "enter applies"),
    "codebook_empty": ("编码本为空", "the codebook has no codes"),
    "single": ("单选", "one"),
    "multiple": ("多选", "several"),
    "facet_kind": ("（{kind}）", "({kind})"),
    "evidence": ("（{words}）", "({words})"),
    "list_sep": ("、", ", "),
    "memo_mark": ("备忘", "memo"),
    "done_mark": ("已完成", "done"),
    "lead_no_code": ("（无编码）", "(no code)"),
    "lead_waiting": ("未做此片段：{names}", "not coded yet: {names}"),
    "open_mark": ("未完成", "open"),
    "no_segments": ("项目中没有片段；先用 annotator import 导入转写稿。",
                    "The project has no segments; import transcripts with 'annotator import'."),
    # messages
    "msg_toggled_on": ("已添加 {code}", "added {code}"),
    "msg_toggled_off": ("已移除 {code}", "removed {code}"),
    "msg_none": ("已标记为完成（无编码）", "marked done with no code"),
    "msg_unchanged": ("没有变化", "nothing changed"),
    "msg_undo": ("已撤销（{segment}）", "undone ({segment})"),
    "msg_redo": ("已重做（{segment}）", "redone ({segment})"),
    "msg_nothing_undo": ("本次没有可撤销的修改", "nothing to undo in this session"),
    "msg_nothing_redo": ("没有可重做的修改", "nothing to redo"),
    "msg_memo_saved": ("备忘已保存", "memo saved"),
    "msg_all_done": ("此视图中所有片段都已完成", "every segment in this view is done"),
    "msg_not_found": ("找不到片段 {query}", "no segment {query}"),
    "msg_search_none": ("没有片段包含 {query}", "no segment contains {query}"),
    "msg_search": ("搜索 “{query}”：{n} 个结果（Esc 退出）", "search “{query}”: {n} result{s} (esc leaves)"),
    "msg_filter": ("筛选：{label}，{n} 个片段（Esc 退出）", "filter: {label}, {n} segment{s} (esc leaves)"),
    "msg_filter_empty": ("筛选 {label}：没有片段", "filter {label}: no segments"),
    "msg_view_cleared": ("显示全部片段", "showing every segment"),
    "msg_no_suggestion": ("没有可应用的建议", "no suggestion to apply"),
    "msg_refreshed": ("已刷新编码员的编码", "coders' codes re-read"),
    "msg_first": ("已是第一个片段", "this is the first segment"),
    "msg_last": ("已是最后一个片段", "this is the last segment"),
    "msg_error": ("错误：{error}", "error: {error}"),
    "msg_backup_failed": ("自动备份失败：{error}", "automatic backup failed: {error}"),
    "view_pos": ("视图 {pos}/{n}", "view {pos}/{n}"),
    # filters
    "filter_title": ("筛选片段", "Filter segments"),
    "filter_all": ("全部片段", "all segments"),
    "filter_not_done": ("我未完成的", "not done by me"),
    "filter_has_code": ("含编码：{code}", "has code: {code}"),
    "filter_disagree": ("编码员意见不一", "coders disagree"),
    # dialogs
    "goto_title": ("转到片段（序号或编号）", "Go to segment (number or id)"),
    "search_title": ("搜索中文或英文文本", "Search the Chinese or English text"),
    "memo_title": ("片段备忘（Ctrl+S 保存，Esc 取消）", "Memo on the segment (ctrl+s saves, esc cancels)"),
    "help_title": ("按键", "Keys"),
    "help_codes": ("编码键（切换编码并标记完成）", "Code keys (toggle the code and mark done)"),
    "help_close": ("↑ ↓ PgUp PgDn 滚动 · 按 Esc 或 ? 关闭", "↑ ↓ PgUp PgDn scroll · esc or ? closes"),
    "help_palette": ("Ctrl+P 打开命令面板：所有操作都在其中", "ctrl+p opens the command palette: every action is there"),
    # actions
    "f_next_undone": ("下一个未完成", "next open"),
    "f_none": ("无编码", "no code"),
    "palette": ("命令面板", "palette"),
    "palette_tooltip": ("打开命令面板", "Open the command palette"),
    "palette_placeholder": ("搜索命令…", "Search for commands…"),
    # palette entries are lower case, like the coding screen's actions listed with them
    "sys_theme": ("主题", "theme"),
    "sys_theme_help": ("更换界面配色", "change the colours"),
    "sys_quit": ("退出程序", "quit"),
    "sys_quit_help": ("立即退出（所有修改都已保存）", "quit now (every change is saved)"),
    "sys_keys": ("按键面板", "keys"),
    "sys_keys_help": ("显示或隐藏按键一览", "show or hide the summary of the keys"),
    "sys_screenshot": ("截图", "screenshot"),
    "sys_screenshot_help": ("将当前屏幕保存为 SVG 截图", "save the screen as an SVG picture"),
    "sys_maximize": ("最大化", "maximize"),
    "sys_maximize_help": ("最大化当前部件", "maximize the focused panel"),
    "sys_minimize": ("还原", "minimize"),
    "sys_minimize_help": ("将部件还原为正常大小", "restore the panel to its normal size"),
    "a_next": ("下一个片段", "next segment"),
    "a_prev": ("上一个片段", "previous segment"),
    "a_next_undone": ("下一个未完成片段", "next segment not done"),
    "a_goto": ("转到片段", "go to segment"),
    "a_none": ("完成，无编码", "done, no code"),
    "a_suggest": ("应用首个建议", "apply top suggestion"),
    "a_search": ("搜索", "search"),
    "a_filter": ("筛选", "filter"),
    "a_clear": ("退出搜索/筛选", "leave search/filter"),
    "a_memo": ("备忘", "memo"),
    "a_undo": ("撤销", "undo"),
    "a_redo": ("重做", "redo"),
    "a_help": ("帮助", "help"),
    "a_quit": ("退出", "quit"),
    "a_outline": ("显示/隐藏大纲", "show/hide outline"),
    "a_text_down": ("文本向下滚动一页", "scroll the texts down a page"),
    "a_text_up": ("文本向上滚动一页", "scroll the texts up a page"),
    "a_refresh": ("重新读取编码员的编码", "re-read coders' codes"),
    "a_toggle": ("切换编码：{code}", "toggle code: {code}"),
}


def t(lang: str, key: str, **values: Any) -> str:
    """The string ``key`` in ``lang`` (zh or en), formatted with ``values``; with a count ``n``,
    ``{s}`` in the English string is the plural ending (``1 result``, ``2 results``)."""
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    if isinstance(values.get("n"), int):
        values.setdefault("s", "" if values["n"] == 1 else "s")
    return text.format(**values) if values else text
