# N more IIS sites for the bench, inserted before <siteDefaults>.
# awk -v n=N -f gen-iis.awk applicationHost.config
/^            <siteDefaults>/ {
		for (i = 2; i < n + 2; i++) {
			printf "            <site name=\"Bench %05d\" id=\"%d\">\n", i, i
			print "                <application path=\"/\" applicationPool=\"DefaultAppPool\">"
			printf "                    <virtualDirectory path=\"/\" physicalPath=\"D:\\sites\\bench%05d\" />\n", i
			print "                </application>"
			print "                <bindings>"
			printf "                    <binding protocol=\"http\" bindingInformation=\"*:80:bench%05d.contoso.com\" />\n", i
			print "                </bindings>"
			print "            </site>"
		} }
		{ print }
