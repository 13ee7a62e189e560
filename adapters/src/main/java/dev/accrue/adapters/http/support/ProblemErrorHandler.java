package dev.accrue.adapters.http.support;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself, before any route runs (a malformed URI or path segment, a URI or headers too
 * long, a body over the limit), as the same problem+json documents every other error is, with a code.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(ErrorMapper.body(ErrorMapper.ofServerStatus(status, reason), null));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code,
                                              String message) throws IOException {
        byte[] body = ErrorMapper.body(ErrorMapper.ofServerStatus(code, message), request.getRequestURI());
        response.setContentType(Problem.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }
}
