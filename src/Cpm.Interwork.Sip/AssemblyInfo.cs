namespace Cpm.Interwork.Sip;
