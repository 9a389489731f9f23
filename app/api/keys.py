"""API keys, for admins: create (the key is shown once), list, change a consumer's permission, revoke."""

from __future__ import annotations

from flask.views import MethodView

from app.api import Blueprint, paginate
from app.api.auth import current_viewer
from app.db import db
from app.schemas import (
    ApiKeyCreateSchema,
    ApiKeySchema,
    ApiKeyUpdateSchema,
    NewApiKeySchema,
    PageArgsSchema,
    page_of,
)
from app.services import keys

blp = Blueprint("keys", __name__, description="API keys and their roles (admin only)")

ApiKeyPageSchema = page_of(ApiKeySchema, "ApiKeyPage")


@blp.route("/keys")
class Keys(MethodView):
    @blp.arguments(PageArgsSchema(), location="query")
    @blp.response(200, ApiKeyPageSchema)
    def get(self, args):
        """List keys: prefix, name, role, dates. Secrets are never shown again."""
        return paginate(db.session, keys.keys_query(), **args)

    @blp.arguments(ApiKeyCreateSchema)
    @blp.response(201, NewApiKeySchema)
    def post(self, data):
        """Create a key; the response is the only time the full key is shown."""
        created = keys.create_key(db.session, **data)
        key = created.key
        return {"id": key.id, "name": key.name, "role": key.role, "prefix": key.prefix,
                "created_at": key.created_at, "revoked_at": key.revoked_at, "active": key.active,
                "allow_unreviewed": key.allow_unreviewed, "key": created.token}


@blp.route("/keys/<id:key_id>")
class KeyById(MethodView):
    @blp.response(200, ApiKeySchema)
    @blp.alt_response(404, "NOT_FOUND")
    def get(self, key_id):
        """One key."""
        return keys.get_key(db.session, key_id=key_id)

    @blp.arguments(ApiKeyUpdateSchema)
    @blp.response(200, ApiKeySchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT", description="The key is revoked (code key_revoked)")
    def patch(self, data, key_id):
        """Allow or forbid a consumer key to ask for exams with unreviewed variants."""
        key = keys.get_key(db.session, key_id=key_id)
        return keys.set_allow_unreviewed(db.session, key=key, allowed=data["allow_unreviewed"])

    @blp.response(200, ApiKeySchema)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(409, "CONFLICT", description="The last active admin key (code last_admin_key), or the key "
                                                  "this request is made with (code own_key)")
    def delete(self, key_id):
        """Revoke a key (it stays listed, with its revocation date); not the one the request is made with."""
        key = keys.get_key(db.session, key_id=key_id)
        keys.ensure_not_last_admin(db.session, key)
        keys.ensure_not_own_key(key, viewer=current_viewer())
        return keys.revoke_key(db.session, key=key)
