"""Who is using the app, and what their roles allow (:mod:`sim.roles`).

When the deployment configures sign-in (an ``[auth]`` section in ``.streamlit/secrets.toml``: an OpenID
Connect provider), a user is known from ``st.login()`` / ``st.user`` and must sign in before any page
runs; the sidebar says who is signed in and offers to sign out. Without it the app runs as one local user
(:func:`sim.roles.local_user`), as it always has.

The identity recorded (author of a save, approver of an approval) and matched against the roles file is
the provider's e-mail, or its subject when it gives no e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sim import roles
from sim.errors import InputError
from ui.i18n import _
from ui.safe import md


@dataclass(frozen=True)
class User:
    """A user as the app knows them.

    Attributes:
        id: what the roles file matches and approvals record: e-mail, else the provider's subject;
            without sign-in, the local user's name. Empty when sign-in is configured but nobody is signed in.
        name: the name shown (the provider's ``name`` claim, else ``id``).
        signed_in: known through the sign-in provider (False for the local user).
    """

    id: str
    name: str
    signed_in: bool


@dataclass(frozen=True)
class Access:
    """A user and what they may do in the scenario library.

    Attributes:
        user: who.
        roles: a subset of {planner, approver} (:mod:`sim.roles`).
        problem: why the roles file could not be read (then nobody has a role), else None.
    """

    user: User
    roles: frozenset[str]
    problem: str | None = None

    @property
    def may_save(self) -> bool:
        """Planners and approvers save drafts."""
        return roles.PLANNER in self.roles

    @property
    def may_approve(self) -> bool:
        """Approvers approve drafts."""
        return roles.APPROVER in self.roles

    def why_not_approve(self) -> str:
        """Why this user cannot approve (markdown; the user's name escaped)."""
        if self.problem:
            return _("Nobody can approve until the roles file is fixed: ") + md(self.problem)
        return _("Only approvers can approve; {user} is not listed as an approver.").format(user=md(self.user.name))

    def why_not_save(self) -> str:
        """Why this user cannot save drafts (markdown; the user's name escaped)."""
        if self.problem:
            return _("Nobody can save until the roles file is fixed: ") + md(self.problem)
        return _("Only planners and approvers can save; {user} is neither.").format(user=md(self.user.name))


def sign_in_configured() -> bool:
    """Whether the deployment configures sign-in: an ``[auth]`` section in ``.streamlit/secrets.toml``."""
    return bool(st.secrets.load_if_toml_exists() and "auth" in st.secrets)


def current() -> User:
    """The user of this session."""
    if not sign_in_configured():
        local = roles.local_user()
        return User(local, local, signed_in=False)
    if not st.user.is_logged_in:
        return User("", "", signed_in=False)
    claims = st.user.to_dict()
    uid = str(claims.get("email") or claims.get("sub") or "").strip()
    return User(uid, str(claims.get("name") or uid).strip(), signed_in=True)


def recorded_by() -> str | None:
    """Who a library change is recorded as: the signed-in user; None (the scenario's author) without sign-in."""
    user = current()
    return user.id if user.signed_in else None


def access() -> Access:
    """The current user and their roles; a roles file that cannot be read grants no role."""
    user = current()
    try:
        granted, _from_file = roles.load_roles()
    except InputError as exc:
        return Access(user, frozenset(), str(exc))
    return Access(user, granted.roles_of(user.id))


def require_sign_in() -> None:
    """With sign-in configured, stop here (after a sign-in button) until the user has signed in."""
    if not sign_in_configured() or st.user.is_logged_in:
        return
    st.title(_("NQ57 scenario simulator"))
    st.info(_("Sign in to use the simulator and the shared scenario library."), icon=":material/login:")
    if st.button(_("Sign in"), key="auth_login", type="primary", icon=":material/login:"):
        st.login()  # to the provider's page; it sends the user back signed in
    st.stop()


def sidebar() -> None:
    """Who is signed in, their roles, and a sign-out button; a caption naming the local user otherwise."""
    who = access()
    if not who.user.id:  # sign-in configured, nobody signed in yet: the page asks them to
        return
    names = {roles.PLANNER: _("planner"), roles.APPROVER: _("approver")}
    held = ", ".join(names[r] for r in (roles.PLANNER, roles.APPROVER) if r in who.roles) or _("reader")
    with st.container(key="identity"):
        if who.user.signed_in:
            st.caption(_("Signed in as {name} ({roles})").format(name=md(who.user.name), roles=held))
            if st.button(_("Sign out"), key="auth_logout", icon=":material/logout:"):
                st.logout()
        else:
            st.caption(_("Local user {name} ({roles})").format(name=md(who.user.name), roles=held))
        if who.problem:
            st.error(_("The roles file cannot be read, so nobody can save or approve: ") + md(who.problem))
