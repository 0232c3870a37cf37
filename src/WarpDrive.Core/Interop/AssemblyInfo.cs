// Every P/Invoke in this assembly is source-generated ([LibraryImport]) over blittable types, so the runtime's
// own marshaller is never needed; disabling it makes any accidental non-blittable signature a compile error.
[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]
