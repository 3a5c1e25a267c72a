namespace Baimo.Kernels.Cpu; internal static class Placeholder {}
