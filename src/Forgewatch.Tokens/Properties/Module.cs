// Stack buffers in this assembly are always written before they are read (each site says how), so the
// runtime need not zero them on every token.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
