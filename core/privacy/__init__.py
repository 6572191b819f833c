"""Personal data (UU 27/2022): the notice, `/data_saya`, `/hapus_data`, retention."""
