using System.Text.Json;

namespace RepSec.Client.Transport;

/// <summary>A request written to the connection whose response line has not been read yet.</summary>
internal sealed class PendingResponse(long id)
{
    private readonly TaskCompletionSource<JsonElement> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Id { get; } = id;

    public Task<JsonElement> Task => _completion.Task;

    public void Complete(JsonElement response) => _completion.TrySetResult(response);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
