<?xml version="1.0" encoding="UTF-8"?>
<!--
  Edits the domain.xml of a domain the build creates (asadmin create-domain) for a test node on
  loopback, before it first starts:
  - every listener of the server's configuration (HTTP, admin, IIOP, JMX) binds 127.0.0.1 instead of
    0.0.0.0, as does Payara's own Hazelcast data grid (interface, DAS bind address, no bind to
    any interface); the embedded JMS broker, which would listen on every interface, is disabled;
  - the checkpoint settings of this node become system properties of the domain's server, the
    elements 'asadmin create-system-properties checkpoint.<name>=<value>' writes: 'properties' is a
    list of name=value separated by ';'.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" indent="no"/>
  <xsl:param name="properties" select="''"/>

  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="config[@name='server-config']//network-listener
                       | config[@name='server-config']//iiop-listener
                       | config[@name='server-config']//jmx-connector">
    <xsl:copy>
      <xsl:copy-of select="@*[name() != 'address']"/>
      <xsl:attribute name="address">127.0.0.1</xsl:attribute>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="hazelcast-runtime-configuration">
    <xsl:copy>
      <xsl:copy-of select="@*[name() != 'interface' and name() != 'das-bind-address']"/>
      <xsl:attribute name="interface">127.0.0.1</xsl:attribute>
      <xsl:attribute name="das-bind-address">127.0.0.1</xsl:attribute>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Hazelcast binds every interface unless told not to, whatever its interface setting. -->
  <xsl:template match="config[@name='server-config']/java-config">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <jvm-options>-Dhazelcast.socket.bind.any=false</jvm-options>
    </xsl:copy>
  </xsl:template>

  <!-- The embedded JMS broker (started by the first application deployed) binds every interface;
       no test uses JMS. A created domain's server configuration has no jms-service element (all
       defaults: embedded). -->
  <xsl:template match="config[@name='server-config'][not(jms-service)]">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <jms-service type="DISABLED"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="servers/server[@name='server']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:call-template name="system-properties">
        <xsl:with-param name="list" select="$properties"/>
      </xsl:call-template>
    </xsl:copy>
  </xsl:template>

  <xsl:template name="system-properties">
    <xsl:param name="list"/>
    <xsl:variable name="head" select="normalize-space(substring-before(concat($list, ';'), ';'))"/>
    <xsl:if test="$head != ''">
      <system-property name="{substring-before($head, '=')}" value="{substring-after($head, '=')}"/>
    </xsl:if>
    <xsl:if test="contains($list, ';')">
      <xsl:call-template name="system-properties">
        <xsl:with-param name="list" select="substring-after($list, ';')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
