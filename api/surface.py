"""What the API offers: public reads only.

Wagtail's API v3 can also create, edit, publish and delete content, and read revisions,
sites and schemas, for holders of API tokens. Nothing here uses that: editors work in the
admin, and the frontend reads anonymously. Every operation that is not a GET anyone may
make is removed before the URLs are built, so it is neither routed nor documented.
"""

from wagtail.api.v3.auth import AllowAnonymous

from .openapi import anonymous_request


def keep_public_reads_only(api):
    """Drop every operation of ``api`` that is not a GET open to anonymous callers."""
    # ninja binds its routers once, as the URLs are first built; what is removed from the
    # bound routers is what both the URLconf and the OpenAPI document are made from.
    for bound_router in api._get_bound_routers():
        for path, path_view in list(bound_router.path_operations.items()):
            path_view.operations = [op for op in path_view.operations if is_public_read(op)]
            if not path_view.operations:
                del bound_router.path_operations[path]


def is_public_read(operation):
    return operation.methods == ["GET"] and any(
        callback is anonymous_request or isinstance(callback, AllowAnonymous)
        for callback in operation.auth_callbacks
    )
