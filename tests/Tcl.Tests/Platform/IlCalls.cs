using System.Reflection;
using System.Reflection.Emit;

namespace Tcl.Tests.Platform;

/// <summary>
/// Reads the methods a compiled method calls, straight from its IL: every <c>call</c>, <c>callvirt</c>,
/// <c>newobj</c>, <c>ldftn</c> and <c>ldvirtftn</c> operand, resolved to the <see cref="MethodBase"/> it names.
/// Lambdas, local functions, iterators and async state machines are compiled into methods of their own (nested
/// types), so enumerating every method of every type of an assembly sees all the code the source holds.
/// </summary>
public static class IlCalls
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance |
                                            BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every method and constructor with a body declared in <paramref name="assembly"/>.</summary>
    public static IEnumerable<MethodBase> MethodsOf(Assembly assembly)
    {
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
        foreach (var type in types)
        {
            foreach (var m in type.GetMethods(Everything)) if (m.GetMethodBody() is not null) yield return m;
            foreach (var c in type.GetConstructors(Everything)) if (c.GetMethodBody() is not null) yield return c;
        }
    }

    /// <summary>The methods <paramref name="method"/>'s IL calls, creates with <c>newobj</c> or takes the address of.</summary>
    public static IEnumerable<MethodBase> CalledBy(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                int token = BitConverter.ToInt32(il, i);
                MethodBase? target = null;
                try { target = method.Module.ResolveMethod(token, typeArgs, methodArgs); }
                catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMemberException or BadImageFormatException) { }
                if (target is not null) yield return target;
            }
            i += OperandSize(op, il, i);
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    /// <summary>The open form of a method (generic definitions, members of generic type definitions), for comparing.</summary>
    public static MethodBase Open(MethodBase m)
    {
        if (m is MethodInfo { IsGenericMethod: true, IsGenericMethodDefinition: false } gm) m = gm.GetGenericMethodDefinition();
        if (m.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } dt)
        {
            var open = dt.GetGenericTypeDefinition();
            m = MethodBase.GetMethodFromHandle(m.MethodHandle, open.TypeHandle) ?? m;
        }
        return m;
    }

    /// <summary>Readable name: <c>Type.method(ParamType, …)</c>.</summary>
    public static string Describe(MethodBase m) =>
        $"{TypeName(m.DeclaringType)}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => TypeName(p.ParameterType)))})";

    private static string TypeName(Type? t) => t is null ? "?" : t.IsNested ? $"{TypeName(t.DeclaringType)}.{t.Name}" : t.Name;
}
