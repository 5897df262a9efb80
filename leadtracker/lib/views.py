from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": "not found", "errors": []}, status=404)
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": "forbidden", "errors": []}, status=403)
    return render(request, "403.html", status=403)


def favicon(request):
    """/favicon.ico, which browsers ask for where a page names no icon (a JSON answer, a file
    download): the static icon, through its served (hashed, in production) address."""
    return redirect(static("favicon.ico"))
