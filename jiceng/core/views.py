from django.http import HttpResponse, HttpResponseNotFound, HttpResponseForbidden


def home(request):
    return HttpResponse("基层")


def page_not_found(request, exception=None):
    return HttpResponseNotFound("页面不存在")


def permission_denied(request, exception=None):
    return HttpResponseForbidden("无权访问")
