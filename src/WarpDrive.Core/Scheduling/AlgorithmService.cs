using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

/// <summary>Which kinds of device serve an algorithm in a pool (<see cref="AcceleratorPool.Serving"/>).</summary>
/// <param name="Algorithm">The algorithm asked about.</param>
/// <param name="Kinds">The kinds of device serving it, in the pool's preference order.</param>
public sealed record AlgorithmService(AcceleratorAlgorithm Algorithm, IReadOnlyList<AcceleratorKind> Kinds)
{
    /// <summary>True when a hardware or kernel device serves the algorithm, not only the in-process engine.</summary>
    public bool OnDevice => Kinds.Any(k => k != AcceleratorKind.InProcess);

    /// <summary>True when only code in this process serves the algorithm (it may use the soft engine's extensions).</summary>
    public bool OnlyInProcess => !OnDevice;
}
