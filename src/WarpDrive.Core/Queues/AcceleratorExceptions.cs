namespace WarpDrive.Queues;

/// <summary>Base of every error a device or queue reports. The pool catches these and re-runs the request elsewhere.</summary>
public class AcceleratorException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AcceleratorException() { }
    /// <summary>Creates the exception with a message.</summary>
    public AcceleratorException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and a cause.</summary>
    public AcceleratorException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The device reported an error for a request, or broke the queue protocol.</summary>
public class AcceleratorDeviceException : AcceleratorException
{
    /// <summary>Creates the exception.</summary>
    public AcceleratorDeviceException() { }
    /// <summary>Creates the exception with a message.</summary>
    public AcceleratorDeviceException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and a cause.</summary>
    public AcceleratorDeviceException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The device stopped the queue (a stop word is set): it takes no new work and returns no more results.</summary>
public class QueueStoppedException : AcceleratorException
{
    /// <summary>Creates the exception.</summary>
    public QueueStoppedException() { }
    /// <summary>Creates the exception with a message.</summary>
    public QueueStoppedException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and a cause.</summary>
    public QueueStoppedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The device behind a queue was removed (<c>ENXIO</c>): the queue is a zombie and must be disposed.</summary>
public class DeviceRemovedException : AcceleratorException
{
    /// <summary>Creates the exception.</summary>
    public DeviceRemovedException() { }
    /// <summary>Creates the exception with a message.</summary>
    public DeviceRemovedException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and a cause.</summary>
    public DeviceRemovedException(string message, Exception innerException) : base(message, innerException) { }
}
