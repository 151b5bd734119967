"""Errors in OpenAI's shape: `{"error": {"message", "type", "param", "code"}}` with the right status.

OpenAI clients read this shape to raise their own exceptions (`AuthenticationError` for 401,
`PermissionDeniedError` for 403, `NotFoundError` for 404, ...), so a client pointed at
prefmem reports our errors as it reports OpenAI's.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from prefmem.memory.errors import (
    BackendError,
    ModelUnavailableError,
    PrefmemError,
    StoreBusyError,
    UnknownPreferenceError,
    UnknownUserError,
)

log = logging.getLogger(__name__)

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    413: "invalid_request_error",
    502: "upstream_error",
    503: "service_unavailable",
}


class ApiError(Exception):
    """An error answered with `status` and OpenAI's error body."""

    def __init__(self, status: int, message: str, *, code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param


def error_body(
    status: int, message: str, *, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    """The JSON body of an error."""
    kind = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def error_response(
    status: int, message: str, *, code: str | None = None, param: str | None = None
) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        error_body(status, message, code=code, param=param), status_code=status, headers=headers
    )


def from_prefmem(error: PrefmemError) -> ApiError:
    """The HTTP status of one of prefmem's own errors: the caller's fault 4xx, the backend's 5xx."""
    if isinstance(error, UnknownUserError):
        return ApiError(404, str(error), code="unknown_user")
    if isinstance(error, UnknownPreferenceError):
        return ApiError(404, str(error), code="unknown_preference")
    if isinstance(error, ModelUnavailableError | StoreBusyError):
        return ApiError(503, str(error), code="unavailable")
    if isinstance(error, BackendError):
        return ApiError(502, str(error), code="backend_error")
    return ApiError(400, str(error), code="invalid_request")


def _validation_message(error: RequestValidationError) -> tuple[str, str | None]:
    problems = error.errors()
    if not problems:
        return "invalid request", None
    first = problems[0]
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    param = ".".join(location) or None
    message = f"{param}: {first.get('msg', 'invalid')}" if param else str(first.get("msg", "invalid request"))
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problems)"
    return message, param


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error, expected or not, in OpenAI's shape."""

    async def on_api_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, ApiError)
        return error_response(error.status, error.message, code=error.code, param=error.param)

    async def on_prefmem_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, PrefmemError)
        api = from_prefmem(error)
        return error_response(api.status, api.message, code=api.code, param=api.param)

    async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        message, param = _validation_message(error)
        return error_response(400, message, code="invalid_request", param=param)

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        return error_response(error.status_code, str(error.detail))

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return error_response(500, "internal server error", code="internal_error")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(PrefmemError, on_prefmem_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
