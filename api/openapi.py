"""Keeps /api/v3/openapi.json a true and valid OpenAPI 3.1 document.

- v3 marks its public endpoints with the ``AllowAnonymous`` auth callback, which
  django-ninja publishes as an ``http`` security scheme without the ``scheme`` OpenAPI
  requires, so the stock document fails validation and breaks client generators.
  OpenAPI spells "no credentials needed" as an empty security requirement.
- ninja documents only each operation's 200. Every other answer an operation can give
  (302, 304, 400, 403, 404, 414, 422) is added here, with the problem+json body, and every
  bound on ``limit`` and ``offset`` that the API enforces is stated on the parameter.
"""

from django.contrib.auth.models import AnonymousUser

from .conf import api_settings
from .schemas import Problem

ANONYMOUS_SCHEME = "AllowAnonymous"
PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# Operations that answer with a redirect to the matching object's detail.
FINDERS = {"pages_find", "redirects_find"}
# The project's own operations, which refuse unknown query parameters.
REFUSE_UNKNOWN_PARAMETERS = {"reviews_list", "sitemap_list", "page_preview"}
# Operations with no path parameter that still answer 404, and why.
NOT_FOUND_WITHOUT_PATH_PARAMETER = {
    "pages_list": "No site has the hostname given as site.",
    "pages_find": "No live, public page has that path or id.",
    "redirects_find": "No redirect starts at that path.",
    "reviews_list": "No live, public review index page has the id given as child_of.",
    "page_preview": "The preview has expired or was never made.",
}
FORBIDDEN = {"page_preview": "The token is not valid for this preview."}
NEVER_CACHED = {"page_preview"}


def anonymous_request(request):
    """Auth callback for public endpoints: always anonymous, whatever session or token is sent.

    A plain function, so it adds no security scheme to the OpenAPI document.
    """
    request.user = AnonymousUser()
    return True


def publish_valid_schema(api):
    original = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        schema = _with_anonymous_as_optional_security(original(*args, **kwargs))
        schema["info"]["description"] = (
            "Public, read-only API of the case reviews site: live, public content only; "
            "drafts only through signed preview tokens. Errors are application/problem+json."
        )
        return _with_every_answer_and_bound(schema)

    api.get_openapi_schema = get_openapi_schema


def _with_anonymous_as_optional_security(schema):
    for operation in _operations(schema):
        security = operation.get("security")
        if security:
            operation["security"] = [
                {} if ANONYMOUS_SCHEME in requirement else requirement for requirement in security
            ]
    schema.get("components", {}).get("securitySchemes", {}).pop(ANONYMOUS_SCHEME, None)
    return schema


def _with_every_answer_and_bound(schema):
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
        Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for operation in _operations(schema):
        operation_id = operation.get("operationId", "")
        parameters = operation.get("parameters", [])
        names = {parameter["name"] for parameter in parameters}
        path_parameters = any(parameter["in"] == "path" for parameter in parameters)
        responses = operation.setdefault("responses", {})

        for parameter in parameters:
            _state_bounds(parameter, operation_id)
        if operation_id in FINDERS:
            responses["302"] = {
                "description": "Found: the Location header is the detail URL of the match."
            }
        if operation_id not in NEVER_CACHED:
            responses["304"] = {"description": "Not modified: If-None-Match matched the ETag."}
        reasons_for_400 = _reasons_for_400(operation_id, names)
        if reasons_for_400:
            responses["400"] = _problem("Bad request: " + "; ".join(reasons_for_400) + ".")
        if operation_id in FORBIDDEN:
            responses["403"] = _problem(FORBIDDEN[operation_id])
        if path_parameters or operation_id in NOT_FOUND_WITHOUT_PATH_PARAMETER:
            responses["404"] = _problem(
                NOT_FOUND_WITHOUT_PATH_PARAMETER.get(
                    operation_id, "No live, public object has that id."
                )
            )
        if parameters:
            responses["422"] = _problem(
                "A parameter is missing, of the wrong type or out of its range; "
                "`errors` names each one."
            )
        if any(parameter["in"] == "query" for parameter in parameters):
            # Said by the HTTP server (gunicorn: request lines up to 4,094 bytes), not the API.
            responses["414"] = {"description": "The query string is longer than the server reads."}
    return schema


def _reasons_for_400(operation_id, names):
    reasons = []
    if operation_id in REFUSE_UNKNOWN_PARAMETERS:
        reasons.append("an unknown query parameter")
    if "limit" in names:
        reasons.append("a limit above the maximum")
    if "offset" in names:
        reasons.append("an offset above the maximum")
    if "search" in names:
        reasons.append("search text that cannot be parsed")
    if "site" in names:
        reasons.append("a site whose port is not a number")
    return reasons


def _state_bounds(parameter, operation_id):
    schema = parameter.get("schema", {})
    if parameter["name"] == "limit":
        maximum = (
            api_settings.API_SITEMAP_LIMIT_MAX
            if operation_id == "sitemap_list"
            else api_settings.WAGTAILAPI_LIMIT_MAX
        )
        if maximum:
            schema["maximum"] = maximum
        schema.setdefault("minimum", 1)
    elif parameter["name"] == "offset":
        schema["maximum"] = api_settings.API_OFFSET_MAX
        schema.setdefault("minimum", 0)


def _problem(description):
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def _operations(schema):
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict):
                yield operation
