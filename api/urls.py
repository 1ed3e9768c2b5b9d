from django.urls import path
from wagtail.api.v3.urls import api

urlpatterns = [
    path("api/v3/", api.urls),
]
