# N more registry values for the bench, as .reg text (CRLF), in keys of ten.
# awk -v n=N -f gen-registry.awk
BEGIN {
	for (i = 0; i < n; i++) {
		k = int(i / 10)
		if (i % 10 == 0)
			printf "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID\\{%08X-5A3C-4B1E-9D2F-%012d}\\InprocServer32]\r\n", k, k
		if (i % 10 < 6)
			printf "\"Path%d\"=\"C:\\\\Program Files\\\\Bench\\\\Shared Components\\\\component%08d.dll\"\r\n", i % 10, i
		else
			printf "\"Flags%d\"=dword:%08x\r\n", i % 10, i
		if (i % 10 == 9 || i == n - 1)
			printf "\r\n"
	} }
