"""Which documents a request may not see: those in collections with a view restriction.

Report blocks and rich text links to such documents are left out of every answer the
request cannot open (their address and file name alone can say too much).
"""

from django.db.models import Q
from wagtail.api.v3.permissions import get_restricted_collection_ids
from wagtail.models import Collection, CollectionViewRestriction


def hidden_collection_ids(request):
    """Collections the request may not see, worked out once per request.

    Without a request (content rendered outside an API call) nobody has passed any
    restriction, so every restricted collection is hidden.
    """
    if request is None:
        return _restricted_collection_ids()
    if not hasattr(request, "_api_hidden_collections"):
        request._api_hidden_collections = get_restricted_collection_ids(request)
    return request._api_hidden_collections


def _restricted_collection_ids():
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    if not within:
        return set()
    return set(Collection.objects.filter(within).values_list("pk", flat=True))
