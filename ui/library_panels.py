"""Library panels embedded in other pages: save the current settings as a scenario, download them as YAML;
a scenario's version history with restore (the Scenarios page).

The Simulate page calls :func:`save_panel`. What the settings came from is the current scenario's
business (:mod:`ui.state`): the panel offers to save changes back into the library scenario they
started from, says when the content is already saved, and after a save the current scenario is the
saved one (the header shows its name).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from sim import store
from sim.errors import InputError
from sim.history import action_text, change_text
from sim.params import Text
from sim.provenance import stamp
from sim.scenario import Scenario
from sim.views import fmt
from ui import identity, state
from ui.i18n import _, lang, ngettext
from ui.safe import md

FLASH_KEY = "save_flash"  # messages of a save, shown after the rerun that renames the header
HISTORY_FLASH_KEY = "history_flash"  # messages of a restore, shown once in the history panel


def flash(key: str, kind: str, message: str) -> None:
    """Keep a message to show once on the next run, where :func:`show_flash` with the same ``key`` is called.

    ``kind``: ``success``, ``info``, ``warning`` or ``error``; ``message`` is markdown (user text in it
    already escaped).
    """
    st.session_state.setdefault(key, []).append((kind, message))


def show_flash(key: str) -> None:
    """Show (once) the messages kept under ``key``."""
    for kind, message in st.session_state.pop(key, []):
        show(kind, message)


def show(kind: str, message: str) -> None:
    """One message box of the given kind (see :func:`flash`)."""
    {"success": st.success, "error": st.error, "info": st.info, "warning": st.warning}[kind](message)


def scenario_name(sid: str, fallback: str | None = None) -> str:
    """A library scenario's name in the page's language, escaped for markdown (names are typed by users);
    ``fallback`` (default: the id) when it cannot be read, e.g. deleted meanwhile."""
    try:
        return md(store.load(sid).name(lang()))
    except InputError:
        return md(sid if fallback is None else fallback)


def yaml_download_bytes(scenario: Scenario) -> bytes:
    """The scenario as a YAML file, with its provenance stamp as a comment on the first line."""
    return f"# {stamp(scenario, lang())}\n{scenario.to_yaml()}".encode()


def _saved(sid: str, typed: str) -> None:
    """The save went through: the saved scenario becomes the current one; say so after the rerun."""
    saved, typed = scenario_name(sid, typed), md(typed)
    flash(FLASH_KEY, "success", _("Saved «{saved}» to the scenario library.").format(saved=saved))
    if saved != typed:
        flash(
            FLASH_KEY,
            "info",
            _(
                "A scenario named «{typed}» already exists, so the new one is called «{saved}» (nothing overwritten)."
            ).format(typed=typed, saved=saved),
        )
    state.mark_saved(sid)
    st.rerun()


def save_panel() -> None:
    """A small form that saves the current scenario as a new draft in the library, and a YAML download of it."""
    show_flash(FLASH_KEY)
    cur = state.current()
    scenario = cur.named()
    who = identity.access()
    with st.form("save_form", clear_on_submit=False, border=True):
        st.markdown("**" + _("Save as a new scenario") + "**")
        name = st.text_input(
            _("Scenario name"),
            key="save_name",
            max_chars=store.MAX_NAME_LENGTH,
            placeholder=scenario.name(lang()),
        )
        if who.user.signed_in:  # the author is who signed in, not what they type
            author = who.user.id
            st.caption(_("Author: {user}").format(user=md(author)))
        else:
            author = st.text_input(_("Author"), key="save_author", max_chars=120)
        note = st.text_area(_("Note"), key="save_note", max_chars=2000, height=80)
        submitted = st.form_submit_button(_("Save"), key="save_submit", type="primary", disabled=not who.may_save)
    if not who.may_save:
        st.caption(":material/lock: " + who.why_not_save())
    if submitted and who.may_save:
        typed = name.strip()
        already = state.saved_as()
        if already is not None:
            st.info(
                _("These settings are already saved in the library as «{name}».").format(name=already[1].name(lang())),
                icon=":material/bookmark_added:",
            )
        elif not typed:
            st.error(_("Give the scenario a name before saving."))
        else:
            new = replace(
                scenario,
                name=Text(vi=typed, en=typed),
                author=author.strip(),
                description=Text(vi=note.strip(), en=note.strip()),
                status="draft",
            )
            try:
                sid = store.save_new(new, by=identity.recorded_by())
            except (InputError, OSError) as exc:
                st.error(_("Not saved: ") + md(exc))
            else:
                _saved(sid, typed)

    if cur.edited and cur.start_id is not None and who.may_save:
        _update_button(cur.start_id, cur.start, cur.scenario)

    st.download_button(
        _("Download as YAML"),
        data=yaml_download_bytes(scenario),
        file_name=f"{store.slugify(scenario.name(lang()))}.yaml",
        mime="application/x-yaml",
        key="save_download",
        on_click="ignore",
        icon=":material/download:",
    )


def _update_button(sid: str, start: Scenario, content: Scenario) -> None:
    """Save changes back into the draft the settings came from (approved ones get a copy)."""
    scenario = replace(content, name=start.name, description=start.description, author=start.author, status="draft")
    try:
        read_only = store.is_read_only(sid)
    except InputError:
        return  # deleted or renamed meanwhile: only "save as new" makes sense
    name = md(scenario.name(lang()))  # a button label renders markdown
    label = (
        _("Save as a copy of «{name}»").format(name=name)
        if read_only
        else _("Save changes to «{name}»").format(name=name)
    )
    if read_only:
        st.caption(_("Approved scenarios are read-only: changes are saved as a copy."))
    if st.button(label, key="save_update"):
        try:
            new_id = store.update(sid, scenario, by=identity.recorded_by())
        except (InputError, OSError) as exc:
            st.error(_("Not saved: ") + md(exc))
            return
        if new_id == sid:
            flash(FLASH_KEY, "success", _("Changes saved; the previous version is in the trash."))
            state.mark_saved(sid)
            st.rerun()
        else:
            _saved(new_id, scenario.name(lang()))


def unreadable_note(limit: int = 3) -> None:
    """A caption naming the library files that cannot be read (left out of the page's lists), with why."""
    try:
        bad = store.unreadable()
    except (InputError, OSError):
        return
    if not bad:
        return
    text = ngettext(
        "{n} file in the library cannot be read and is not offered here:",
        "{n} files in the library cannot be read and are not offered here:",
        len(bad),
    ).format(n=len(bad))
    reasons = "; ".join(e.problem or e.id for e in bad[:limit]) + (" …" if len(bad) > limit else "")
    st.caption(f":material/warning: {text} {md(reasons)}")


def _restore_version(sid: str, n: int) -> None:
    """Bring version ``n`` back as a new version (an approved scenario gets a draft copy)."""
    who = identity.access()
    if not who.may_save:
        flash(HISTORY_FLASH_KEY, "error", who.why_not_save())
        return
    name = scenario_name(sid)
    try:
        new_id = store.restore_version(sid, n, by=identity.recorded_by())
    except (InputError, OSError) as exc:
        flash(HISTORY_FLASH_KEY, "error", _("Not restored: ") + md(exc))
        return
    if new_id == sid:
        msg = _("Version {n} of «{name}» is back, as a new version; the later versions are kept.")
        flash(HISTORY_FLASH_KEY, "success", msg.format(n=n, name=name))
    else:
        msg = _("«{name}» is approved and stays as it is: version {n} was saved as a draft copy, «{copy}».")
        flash(HISTORY_FLASH_KEY, "success", msg.format(n=n, name=name, copy=scenario_name(new_id)))


def history_panel(sid: str, limit: int = 30) -> None:
    """A scenario's versions, newest first: number, who, when, how, what changed; older ones restorable."""
    show_flash(HISTORY_FLASH_KEY)
    try:
        versions = store.history(sid, last=limit)
    except (InputError, OSError) as exc:
        st.error(md(exc))
        return
    st.markdown("**" + _("Version history") + "**")
    latest = versions[-1].n if versions else None
    for v in reversed(versions[-limit:]):
        left, right = st.columns([5, 1], vertical_alignment="center")
        who = md(v.by) if v.by else _("author not given")
        left.markdown(f"**v{v.n}** · {who} · {fmt.when(v.at, lang())} · {md(action_text(v, lang()))}")
        if v.changes:
            left.caption(md("; ".join(change_text(c, lang()) for c in v.changes)))
        elif v.n > 1:
            left.caption(_("No parameter changed."))
        if v.n != latest:
            right.button(
                _("Restore"),
                key=f"lib_hist_restore_{sid}_{v.n}",
                help=_("Saves this version's settings as a new version; the later versions are kept."),
                on_click=_restore_version,
                args=(sid, v.n),
                icon=":material/history:",
            )
    if len(versions) > limit:
        st.caption(_("Only the last {n} versions are shown.").format(n=limit))
