"""API keys: `qbank keys create | list | update | revoke | bootstrap`."""

from __future__ import annotations

import click

from app.cli.common import main, with_session


@main.group()
def keys() -> None:
    """API keys: create (shown once), list, update, revoke."""


@keys.command("create")
@click.option("--role", required=True, type=click.Choice(["admin", "author", "consumer"]))
@click.option("--name", required=True, help="Who or what the key is for.")
@click.option("--allow-unreviewed", is_flag=True,
              help="A consumer key may ask for exams with variants no author approved (use_unreviewed).")
def keys_create(role: str, name: str, allow_unreviewed: bool) -> None:
    """Create a key and print it: it is never shown again."""
    from app.services import keys as service

    created = with_session(lambda s: service.create_key(s, role=role, name=name, allow_unreviewed=allow_unreviewed))
    click.echo(created.token)
    click.echo(f"({role} key {created.key.prefix} for {name!r}: store it now, it is not kept in readable form)",
               err=True)


@keys.command("list")
def keys_list() -> None:
    """List keys: id, prefix, role, name, state."""
    from app.services import keys as service

    def rows(session):  # noqa: ANN001, ANN202
        return [(k.id, k.prefix, k.role, k.name, "revoked" if k.revoked_at else "active",
                 "unreviewed" if k.allow_unreviewed else "-")
                for k in session.scalars(service.keys_query())]

    for key_id, prefix, role, name, state, unreviewed in with_session(rows):
        click.echo(f"{key_id:>4}  qbk_{prefix}_…  {role:<8}  {state:<7}  {unreviewed:<10}  {name}")


@keys.command("update")
@click.argument("key")
@click.option("--allow-unreviewed/--deny-unreviewed", "allow_unreviewed", required=True,
              help="Whether a consumer key may ask for exams with variants no author approved.")
def keys_update(key: str, allow_unreviewed: bool) -> None:
    """Change a key, given its id or its prefix: its permission to ask for unreviewed variants."""
    from app.errors import ServiceError
    from app.services import keys as service

    def update(session):  # noqa: ANN001, ANN202
        found = service.find_key(session, prefix_or_id=key)
        return service.set_allow_unreviewed(session, key=found, allowed=allow_unreviewed).prefix

    try:
        prefix = with_session(update)
    except ServiceError as exc:
        raise click.ClickException(exc.detail) from None
    state = "pode" if allow_unreviewed else "não pode"
    click.echo(f"qbk_{prefix}_… {state} pedir variantes não revisadas")


@keys.command("revoke")
@click.argument("key")
def keys_revoke(key: str) -> None:
    """Revoke a key, given its id or its prefix."""
    from app.errors import ServiceError
    from app.services import keys as service

    def revoke(session):  # noqa: ANN001, ANN202
        found = service.find_key(session, prefix_or_id=key)
        service.ensure_not_last_admin(session, found)
        return service.revoke_key(session, key=found).prefix

    try:
        prefix = with_session(revoke)
    except ServiceError as exc:
        raise click.ClickException(exc.detail) from None
    click.echo(f"revoked qbk_{prefix}_…")


@keys.command("bootstrap")
@click.option("--url", default="http://127.0.0.1:8000", show_default=True,
              help="Where the service will listen, for the example printed with the key.")
def keys_bootstrap(url: str) -> None:
    """On an installation without keys, create the first admin key and print it (once)."""
    from app.services import keys as service

    created = with_session(lambda s: service.bootstrap_admin(s))
    if created is None:
        click.echo("API keys exist already; `qbank keys create --role admin --name NAME` makes another.")
        return
    click.echo("")
    click.echo("    First admin API key (shown only now; keep it):")
    click.echo(f"        {created.token}")
    base = url.rstrip("/")
    click.echo("    Try it (every /api/v1 address needs the key; a browser gets 401 without it):")
    click.echo(f"        curl -H 'Authorization: Bearer {created.token}' {base}/api/v1/topics")
    click.echo(f"    Or open {base}/docs, press Authorize and paste the key.")
    click.echo("")
