from django.urls import path

from . import views

urlpatterns = [
    path("audits/results/", views.receive_results, name="audits_receive_results"),
]
