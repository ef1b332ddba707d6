namespace Cpm.Interwork.Sip.Stack;
