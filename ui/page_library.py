"""Page: Kịch bản / Scenarios — the shared scenario library.

List, load into the simulator, duplicate, rename, delete (to the trash) and restore, see a scenario's versions
and bring one back, upload a scenario file, download any scenario as YAML. All library work is done by
``sim.store`` (a folder or PostgreSQL); this page only calls it.
"""

from __future__ import annotations

import streamlit as st

from sim import store
from sim.errors import InputError
from sim.profiles import list_profiles, load_profile
from sim.views import fmt
from ui import identity, state
from ui.choices import choice_key, keep
from ui.i18n import _, lang
from ui.library_panels import flash, history_panel, scenario_name, show, show_flash
from ui.safe import md

FLASH_KEY = "lib_flash"  # (kind, message) shown once after an action
HISTORY_KEY = "lib_history"  # the id whose version history is open (one at a time keeps the page light)
UPLOADS_KEY = "lib_uploads"  # file_id -> (kind, message): each upload is imported once
ALL = "__all__"


def _problem(exc: object) -> str:
    """An error about a file or a name, escaped: it quotes what the user (or a file) wrote."""
    return md(str(exc))


# ----------------------------------------------------------------- actions (run as callbacks, before the page)


def _may_save() -> bool:
    """Whether the user may change the library (planners, approvers); if not, say why."""
    who = identity.access()
    if not who.may_save:
        flash(FLASH_KEY, "error", who.why_not_save())
    return who.may_save


def _approve(sid: str) -> None:
    """Approve a draft as the signed-in (or local) user; the roles are checked here, not only on the button."""
    who = identity.access()
    if not who.may_approve:
        flash(FLASH_KEY, "error", who.why_not_approve())
        return
    try:
        store.approve(sid, who.user.id)
    except (InputError, OSError) as exc:
        flash(FLASH_KEY, "error", _("Not approved: ") + _problem(exc))
        return
    flash(FLASH_KEY, "success", _("Approved «{name}» as {user}.").format(name=scenario_name(sid), user=md(who.user.id)))


def _duplicate(sid: str) -> None:
    if not _may_save():
        return
    new_name = st.session_state.get(f"lib_dup_name_{sid}", "").strip()
    try:
        new_id = store.duplicate(sid, new_name or store.load(sid).name, by=identity.recorded_by())
    except (InputError, OSError) as exc:
        flash(FLASH_KEY, "error", _("Not duplicated: ") + _problem(exc))
        return
    flash(FLASH_KEY, "success", _("Created the copy «{name}».").format(name=scenario_name(new_id)))


def _rename(sid: str) -> None:
    if not _may_save():
        return
    new_name = st.session_state.get(f"lib_ren_name_{sid}", "").strip()
    try:
        new_id = store.rename(sid, new_name, by=identity.recorded_by())
    except store.ReadOnlyError:
        flash(
            FLASH_KEY,
            "error",
            _("Approved scenarios are read-only: duplicate to change."),
        )
        return
    except (InputError, OSError) as exc:
        flash(FLASH_KEY, "error", _("Not renamed: ") + _problem(exc))
        return
    flash(FLASH_KEY, "success", _("Renamed to «{name}».").format(name=scenario_name(new_id)))


def _delete(sid: str) -> None:
    if not _may_save():
        return
    name = scenario_name(sid)
    try:
        store.delete(sid)
    except store.ReadOnlyError:
        if store.entry(sid).preset:
            flash(
                FLASH_KEY,
                "error",
                _("Presets ship with the app and cannot be deleted."),
            )
        else:
            flash(
                FLASH_KEY, "error", _("Approved scenarios cannot be deleted: a new version is approved in their place.")
            )
        return
    except (InputError, OSError) as exc:
        flash(FLASH_KEY, "error", _("Not deleted: ") + _problem(exc))
        return
    flash(
        FLASH_KEY,
        "success",
        _("Moved «{name}» to the trash (restorable).").format(name=name),
    )


def _restore(tid: str) -> None:
    if not _may_save():
        return
    try:
        new_id = store.restore(tid, by=identity.recorded_by() or "")
    except (InputError, OSError) as exc:
        flash(FLASH_KEY, "error", _("Not restored: ") + _problem(exc))
        return
    flash(FLASH_KEY, "success", _("Restored «{name}».").format(name=scenario_name(new_id)))


def _import_upload() -> None:
    """Import a newly uploaded file once; remember the outcome while the file stays in the uploader."""
    up = st.session_state.get("lib_upload")
    if up is None:
        return
    done: dict[str, tuple[str, str]] = st.session_state.setdefault(UPLOADS_KEY, {})
    if up.file_id in done:
        return
    who = identity.access()
    if not who.may_save:
        done[up.file_id] = ("error", who.why_not_save())
        return
    try:
        got = store.import_upload(up.getvalue(), up.name, by=identity.recorded_by())
    except InputError as exc:
        done[up.file_id] = (
            "error",
            _("Invalid file, nothing saved. ") + _problem(exc),
        )
    except OSError as exc:
        done[up.file_id] = ("error", _("Not saved: ") + _problem(exc))
    else:
        msg = _("Added «{name}» to the library.").format(name=scenario_name(got.id))
        if got.claimed_approval:
            msg += " " + _(
                "The file says it is approved; it was added as a draft, since only an approver can approve a scenario."
            )
        done[up.file_id] = ("success", msg)


def _toggle_history(sid: str) -> None:
    st.session_state[HISTORY_KEY] = None if st.session_state.get(HISTORY_KEY) == sid else sid


# ----------------------------------------------------------------- page

st.title(_("Scenarios"))
st.caption(
    _(
        "The shared scenario library. Presets and approved scenarios are read-only: "
        "editing saves a copy. Deleting only moves a scenario to the trash, where it can "
        "be restored."
    )
)

show_flash(FLASH_KEY)

with st.expander(_("Upload a scenario file"), icon=":material/upload:"):
    up = st.file_uploader(
        _("A scenario YAML file (up to 1 MB)"),
        type=["yaml", "yml"],
        key="lib_upload",
    )
    _import_upload()
    if up is not None and up.file_id in st.session_state.get(UPLOADS_KEY, {}):
        show(*st.session_state[UPLOADS_KEY][up.file_id])

regions = list_profiles()
region = keep(
    "lib_region",
    st.selectbox(
        _("Region"),
        [ALL, *regions],
        format_func=lambda r: _("All") if r == ALL else load_profile(r).name(lang()),
        key=choice_key("lib_region", [ALL, *regions], ALL),
    ),
)

try:
    entries = store.list_entries()
except (InputError, OSError) as exc:  # a folder gone, a database down: say so, never a traceback
    st.error(_("The scenario library cannot be read: ") + _problem(exc))
    st.stop()
access = identity.access()
shown = [e for e in entries if region in (ALL, e.region) or e.problem]
st.caption(_("{len} scenarios").format(len=len(shown)))
if not access.may_approve:
    st.caption(":material/lock: " + access.why_not_approve())

for e in shown:
    with st.container(border=True, key=f"lib_entry_{e.id}"):
        left, right = st.columns([5, 4], vertical_alignment="center")
        bar = right.container(horizontal=True, horizontal_alignment="right", gap="small")
        if e.problem:
            left.markdown(f"**{md(e.id)}** :red-badge[{_('Unreadable file')}]")
            left.caption(_problem(e.problem))
        else:
            badges = []
            if e.preset:
                badges.append(":blue-badge[" + _("Preset") + "]")
            if e.read_only:
                badges.append(":orange-badge[:material/lock: " + _("Approved · read-only") + "]")
            else:
                badges.append(":gray-badge[" + _("Draft") + "]")
            left.markdown(f"**{md(e.name(lang()))}** " + " ".join(badges))
            who = md(e.author) if e.author else _("author not given")
            when = fmt.when(e.modified, lang())
            left.caption(f"{load_profile(e.region).name(lang())} · {who} · {when} · `{e.id}`")
            if e.approved_at is not None and not e.preset:
                when = fmt.when(e.approved_at, lang())
                left.caption(_("Approved by {user}, {when}").format(user=md(e.approved_by), when=when))
        if bar.button(
            _("Open"),
            key=f"lib_load_{e.id}",
            disabled=bool(e.problem),
            help=_("Open on the Simulate page"),
            icon=":material/play_arrow:",
        ):
            try:
                scen = store.load(e.id)
            except InputError as exc:
                st.error(_problem(exc))
            else:
                state.set_scenario(scen, start_id=e.id)
                st.switch_page("ui/page_simulate.py")
        with bar.popover("", icon=":material/content_copy:", help=_("Duplicate"), disabled=bool(e.problem)):
            st.text_input(_("Name of the copy"), key=f"lib_dup_name_{e.id}", value=e.name(lang()))
            st.button(_("Duplicate"), key=f"lib_dup_{e.id}", on_click=_duplicate, args=(e.id,))
        with bar.popover(
            "",
            icon=":material/edit:",
            help=_("Rename") if not e.read_only else _("Read-only"),
            disabled=e.read_only or bool(e.problem),
        ):
            st.text_input(_("New name"), key=f"lib_ren_name_{e.id}", value=e.name(lang()))
            st.button(_("Rename"), key=f"lib_ren_{e.id}", on_click=_rename, args=(e.id,))
        if not e.read_only and not e.problem:
            bar.button(
                _("Approve"),
                key=f"lib_approve_{e.id}",
                icon=":material/verified:",
                help=_("Approve: the scenario becomes read-only") if access.may_approve else access.why_not_approve(),
                disabled=not access.may_approve,
                on_click=_approve,
                args=(e.id,),
            )
        bar.button(
            "",
            key=f"lib_del_{e.id}",
            icon=":material/delete:",
            help=_("Move to the trash")
            if not e.read_only
            else _("Presets cannot be deleted")
            if e.preset
            else _("Approved scenarios cannot be deleted"),
            disabled=e.read_only,
            on_click=_delete,
            args=(e.id,),
        )
        bar.button(
            "",
            key=f"lib_hist_{e.id}",
            icon=":material/history:",
            help=_("Version history"),
            disabled=bool(e.problem),
            on_click=_toggle_history,
            args=(e.id,),
            type="primary" if st.session_state.get(HISTORY_KEY) == e.id else "secondary",
        )
        bar.download_button(
            "",
            data=e.body,
            file_name=f"{e.id}.yaml",
            mime="application/x-yaml",
            key=f"lib_dl_{e.id}",
            icon=":material/download:",
            help=_("Download as YAML"),
            on_click="ignore",
            disabled=not e.body,
        )
        if st.session_state.get(HISTORY_KEY) == e.id and not e.problem:
            with st.container(key=f"lib_history_{e.id}"):
                history_panel(e.id)

trash = store.list_trash()
with st.expander(_("Trash ({len})").format(len=len(trash)), icon=":material/delete:"):
    if not trash:
        st.caption(_("The trash is empty."))
    reasons = {"deleted": _("deleted"), "replaced": _("version before an edit")}
    for t in trash[:50]:
        c1, c2 = st.columns([4, 1], vertical_alignment="center")
        c1.markdown(f"**{md(t.name(lang()))}** · {reasons.get(t.reason, t.reason)} · {fmt.when(t.when, lang())}")
        c2.button(
            _("Restore"),
            key=f"lib_restore_{t.id}",
            on_click=_restore,
            args=(t.id,),
            icon=":material/restore_from_trash:",
        )
