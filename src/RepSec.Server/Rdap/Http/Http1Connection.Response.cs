using System.Buffers;
using System.Text.Json;

namespace RepSec.Server.Rdap.Http;

/// <summary>
/// One request's answer: the pipeline's run, its callbacks, a 500 in place of whatever it set when it fails, and
/// the head and body queued for the connection's next write. Errors found before the pipeline are answered here too.
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>Runs one parsed request through the pipeline and queues its answer; true when the connection must close after it.</summary>
    private async ValueTask<bool> ServeRequestAsync()
    {
        ResetResponse();
        var keepOpen = _request.KeepAlive && !_request.HasBody && !Closing;
        _keepOpen = keepOpen;
        _otherFeatures?.Clear();
        _revision++;
        try
        {
            // As Kestrel hands HTTP/2's path on: percent-decoded (a %2F stays encoded), then without dot segments.
            var decoded = _request.Path.Contains('%', StringComparison.Ordinal) ? PathString.FromUriComponent(_request.Path) : new PathString(_request.Path);
            _path = new PathString(Http1Parser.RemoveDotSegments(decoded.Value ?? ""));
            _queryString = _request.Query.Length == 0 ? QueryString.Empty : new QueryString(_request.Query);
            _context.Initialize(this);
            await _settings.Pipeline(_context);
        }
        catch (Exception exception) when (_streaming)
        {
            // Part of the answer has left: there is no 500 to send. The connection closes without the last chunk,
            // so the client sees an incomplete answer rather than a complete-looking one.
            LogPipelineFailed(_settings.Logger, exception);
            return true;
        }
        catch (Exception exception)
        {
            AnswerInternalError(exception);
            keepOpen = false;
        }

        if (_streaming)
        {
            WriteChunk(_body.Written);
            _output.Write("0\r\n\r\n"u8);
            _body.Reset();
            await RunOnCompletedAsync();
            return !keepOpen;
        }

        try
        {
            await RunOnStartingAsync();
        }
        catch (Exception exception)
        {
            AnswerInternalError(exception);
            keepOpen = false;
        }

        var head = HttpMethods.IsHead(_request.Method);
        if (!head && _responseHeaders.ContentLength is { } declared && declared != _body.Length)
        {
            AnswerInternalError(new InvalidOperationException($"the answer declares Content-Length {declared} but has {_body.Length} bytes"));
            keepOpen = false;
        }

        if (!WriteResponse(keepOpen, head))
        {
            AnswerInternalError(new InvalidOperationException("a response header holds a character HTTP cannot carry"));
            keepOpen = false;
            WriteResponse(keepOpen, head);
        }

        await RunOnCompletedAsync();
        return !keepOpen;
    }

    /// <summary>
    /// Sends the body written so far as one chunk (RFC 9112 section 7.1), after the head the first time: a long
    /// answer leaves while the pipeline still writes it, in bounded memory. An answer to HTTP/1.0 or HEAD, or one
    /// that declares its length, stays whole in memory and leaves with a Content-Length as any other.
    /// </summary>
    private async ValueTask StreamAsync()
    {
        if (!_streaming)
        {
            if (_request.Http10 || HttpMethods.IsHead(_request.Method) || !Http1ResponseHead.AllowsBody(_statusCode) || _responseHeaders.ContentLength is not null)
            {
                return;
            }

            await RunOnStartingAsync();
            if (!Http1ResponseHead.TryWrite(_output, _statusCode, _responseHeaders, contentLength: null, close: !_keepOpen, _settings.Time, chunked: true))
            {
                throw new InvalidOperationException("a response header holds a character HTTP cannot carry");
            }

            _streaming = true;
            _hasStarted = true;
        }

        WriteChunk(_body.Written);
        _body.Reset();
        await FlushAsync();
    }

    private void WriteChunk(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var span = _output.GetSpan(16);
        data.Length.TryFormat(span, out var written, "x", System.Globalization.CultureInfo.InvariantCulture);
        _output.Advance(written);
        _output.Write("\r\n"u8);
        _output.Write(data);
        _output.Write("\r\n"u8);
    }

    private async ValueTask RunOnStartingAsync()
    {
        if (_onStarting is { } starting)
        {
            _onStarting = null;
            // Last registered runs first, as in Kestrel.
            for (var i = starting.Count - 1; i >= 0; i--)
            {
                await starting[i].Callback(starting[i].State);
            }
        }
    }

    private async ValueTask RunOnCompletedAsync()
    {
        if (_onCompleted is { } completed)
        {
            for (var i = completed.Count - 1; i >= 0; i--)
            {
                try
                {
                    await completed[i].Callback(completed[i].State);
                }
                catch (Exception exception)
                {
                    // The answer is already queued; a failing clean-up must not take it, or the ones before it, away.
                    LogPipelineFailed(_settings.Logger, exception);
                }
            }
        }
    }

    /// <summary>Logs what went wrong and replaces whatever the pipeline set with a 500 RDAP error.</summary>
    private void AnswerInternalError(Exception exception)
    {
        LogPipelineFailed(_settings.Logger, exception);
        ResetResponse();
        _statusCode = StatusCodes.Status500InternalServerError;
        WriteErrorBody(new Http1Error(500, "Internal Server Error", "the request could not be answered"));
    }

    private void ResetResponse()
    {
        _statusCode = StatusCodes.Status200OK;
        _reasonPhrase = null;
        _responseHeaders.Clear();
        _body.Reset();
        _onStarting = null;
        _onCompleted = null;
        _hasStarted = false;
        _streaming = false;
    }

    /// <summary>Queues the head and (unless HEAD, 204 or 304) the body; false, with nothing queued, when a header cannot be sent.</summary>
    private bool WriteResponse(bool keepOpen, bool head)
    {
        var withBody = Http1ResponseHead.AllowsBody(_statusCode);
        long? length = !withBody ? null : head ? _responseHeaders.ContentLength ?? _body.Length : _body.Length;
        if (!Http1ResponseHead.TryWrite(_output, _statusCode, _responseHeaders, length, close: !keepOpen, _settings.Time, announceKeepAlive: _request.Http10))
        {
            return false;
        }

        if (withBody && !head)
        {
            _output.Write(_body.Written);
        }

        _hasStarted = true;
        return true;
    }

    /// <summary>An answer the pipeline never saw: a malformed head. The connection closes after it.</summary>
    private void WriteError(Http1Error error)
    {
        ResetResponse();
        _statusCode = error.Status;
        WriteErrorBody(error);
        WriteResponse(keepOpen: false, head: false);
    }

    /// <summary>An RDAP error object (RFC 9083 section 6) for the answers this layer makes itself.</summary>
    private void WriteErrorBody(Http1Error error)
    {
        IHeaderDictionary headers = _responseHeaders;
        headers.ContentType = Responses.RdapWriter.MediaType;
        headers.AccessControlAllowOrigin = "*";
        headers.XContentTypeOptions = "nosniff";
        _body.Reset();
        using var json = new Utf8JsonWriter((IBufferWriter<byte>)_body);
        error.WriteBody(json);
    }
}
