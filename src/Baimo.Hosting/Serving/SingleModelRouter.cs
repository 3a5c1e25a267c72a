namespace Baimo.Hosting.Serving;

/// <summary>
/// <c>serve -m PATH</c>: one model, loaded at start. Every request gets it; the routes themselves check the
/// name, as they always have, so their answers for a wrong name stay as they were.
/// </summary>
public sealed class SingleModelRouter(ModelHost host) : ModelRouter
{
    public override ServeOptions Options => host.Options;
    public override ModelHost Single => host;

    public override ValueTask<ModelLease> AcquireAsync(string? name, CancellationToken ct) => ValueTask.FromResult(new ModelLease(host, null));

    public override IReadOnlyList<LoadedModel> Loaded() => [new LoadedModel(host.ModelId, host, new FileInfo(host.Model.Path).Length, host.LoadedAt, host.Engine.BusySlots)];

    public override ValueTask DisposeAsync() => host.DisposeAsync();
}
