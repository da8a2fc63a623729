"""Contacts from files: CSV as Outlook, Google Contacts, HubSpot and Excel write them, and
vCard 3.0/4.0; read (`files`), mapped to contact fields (`columns`), checked and matched
against what is stored (`plan`), written in one transaction (`write`)."""
